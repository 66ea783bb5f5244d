package dev.kiln.server.api;

import java.util.Map;

/**
 * One served model as caikit's {@code ModelInfo} ({@code caikit/interfaces/runtime/data_model/info.py}), fields in
 * its order.
 *
 * @param modelPath the model's directory
 * @param name the id to ask for it by
 * @param size its estimated size in memory, in bytes
 * @param metadata Kiln's facts about it: {@code origin}, {@code training_id}, {@code in_memory}, {@code load_error}
 * @param loaded whether it can be served now (it loads on first use); caikit's client discovers only these
 * @param moduleId the module that saved it
 * @param moduleMetadata the module's {@code name} and {@code version}, as caikit's {@code module_metadata}
 */
public record ModelInfo(
        String modelPath,
        String name,
        Long size,
        Map<String, Object> metadata,
        boolean loaded,
        String moduleId,
        Map<String, String> moduleMetadata) {}
