package dev.kiln.module;

import dev.kiln.error.KilnException;
import java.util.Objects;

/**
 * The identity of a module type, read from its {@link ModuleInfo}.
 *
 * @param id the stable UUID string
 * @param name the short unique name
 * @param version the module version
 * @param task the task name
 * @param moduleClass the implementing class's name
 */
public record ModuleDescriptor(String id, String name, String version, String task, String moduleClass) {
    public ModuleDescriptor {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(moduleClass, "moduleClass");
    }

    /** Reads the descriptor declared on a module class. */
    public static ModuleDescriptor of(Class<?> moduleClass) {
        ModuleInfo info = moduleClass.getAnnotation(ModuleInfo.class);
        if (info == null) {
            throw KilnException.invalidArgument(
                    "Module class " + moduleClass.getName() + " has no @ModuleInfo annotation");
        }
        return new ModuleDescriptor(info.id(), info.name(), info.version(), info.task(), moduleClass.getName());
    }
}
