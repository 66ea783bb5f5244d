package dev.kiln.serving;

import java.nio.file.Path;

/**
 * What is served under one id, for listings such as caikit's {@code /info/models}.
 *
 * @param id the served id
 * @param path the model's directory
 * @param sizeBytes its estimated size in memory (counted against the cache bound when loaded)
 * @param inMemory whether it is loaded now (a served model that is not loads on first use)
 * @param moduleId the module that saved it
 * @param moduleName that module's name, or null if it is not on the class path
 * @param moduleVersion that module's version, or null if it is not on the class path
 * @param origin where it came from
 * @param trainingId the training that saved it, or null
 * @param loadError why its last load failed (naming the cause), or null if it has not failed since it last loaded
 */
public record ModelStatus(
        String id,
        Path path,
        long sizeBytes,
        boolean inMemory,
        String moduleId,
        String moduleName,
        String moduleVersion,
        ModelOrigin origin,
        String trainingId,
        String loadError) {}
