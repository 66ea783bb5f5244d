package dev.kiln.server.api;

import dev.kiln.module.ModuleDescriptor;

/**
 * The module a training trains.
 *
 * @param moduleId the module's stable id
 * @param name its name
 * @param version its version
 * @param task its task
 */
public record ModuleRef(String moduleId, String name, String version, String task) {

    /** The reference for a module descriptor. */
    public static ModuleRef of(ModuleDescriptor d) {
        return new ModuleRef(d.id(), d.name(), d.version(), d.task());
    }
}
