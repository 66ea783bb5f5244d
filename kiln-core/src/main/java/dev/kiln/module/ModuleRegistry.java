package dev.kiln.module;

import dev.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;

/** The module types a JVM can train and load, found with {@link ServiceLoader} and looked up by id, name or class. */
public final class ModuleRegistry {
    private static volatile ModuleRegistry global; // guarded by ModuleRegistry.class (written; read without it)

    private final Map<String, ModuleType<?, ?>> byId = new LinkedHashMap<>();
    private final Map<String, ModuleType<?, ?>> byName = new LinkedHashMap<>();
    private final Map<String, ModuleType<?, ?>> byClass = new LinkedHashMap<>();

    /**
     * A registry of the given modules.
     *
     * @throws KilnException INVALID_ARGUMENT if two modules share an id or a name
     */
    public ModuleRegistry(Collection<? extends ModuleType<?, ?>> modules) {
        for (ModuleType<?, ?> module : modules) {
            ModuleDescriptor d = module.descriptor();
            ModuleType<?, ?> clash = byId.putIfAbsent(d.id(), module);
            if (clash != null) {
                throw KilnException.invalidArgument("Duplicate module id " + d.id() + ": "
                        + clash.getClass().getName() + " and "
                        + module.getClass().getName());
            }
            clash = byName.putIfAbsent(d.name(), module);
            if (clash != null) {
                throw KilnException.invalidArgument("Duplicate module name " + d.name() + ": "
                        + clash.getClass().getName() + " and "
                        + module.getClass().getName());
            }
            byClass.put(module.getClass().getName(), module);
        }
    }

    /** The modules on this JVM's class path, discovered once. */
    public static ModuleRegistry global() {
        ModuleRegistry r = global;
        if (r == null) {
            synchronized (ModuleRegistry.class) {
                r = global;
                if (r == null) {
                    r = discover(Thread.currentThread().getContextClassLoader());
                    global = r;
                }
            }
        }
        return r;
    }

    /** The modules visible to a class loader. */
    @SuppressWarnings({"rawtypes", "unchecked"})
    public static ModuleRegistry discover(ClassLoader loader) {
        List<ModuleType<?, ?>> found = new ArrayList<>();
        for (ModuleType m : ServiceLoader.load(ModuleType.class, loader)) {
            found.add(m);
        }
        found.sort(Comparator.comparing(m -> m.descriptor().name()));
        return new ModuleRegistry(found);
    }

    /** Every module, in name order. */
    public List<ModuleType<?, ?>> all() {
        return List.copyOf(byName.values());
    }

    /** The module with this id, name or class name. */
    public Optional<ModuleType<?, ?>> find(String ref) {
        ModuleType<?, ?> m = byId.get(ref);
        if (m == null) {
            m = byName.get(ref);
        }
        if (m == null) {
            m = byClass.get(ref);
        }
        return Optional.ofNullable(m);
    }

    /**
     * The module with this id, name or class name.
     *
     * @throws KilnException NOT_FOUND naming the reference and listing the known modules
     */
    public ModuleType<?, ?> get(String ref) {
        return find(ref)
                .orElseThrow(() -> KilnException.notFound("Unknown module '" + ref + "'; known modules: "
                        + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet()))));
    }

    /** The module with this id, failing with a message that names the id. */
    public ModuleType<?, ?> byId(String id) {
        ModuleType<?, ?> m = byId.get(id);
        if (m == null) {
            throw KilnException.notFound("Unknown module id " + id + "; known modules: "
                    + (byName.isEmpty() ? "none" : String.join(", ", byName.keySet())));
        }
        return m;
    }
}
