package dev.kiln.module;

import java.nio.file.Path;

/** What a model writes while saving: artifacts into a directory, and its own keys for {@code config.yml}. */
public interface ModelWriter {
    /** The directory to write artifacts into; it becomes the model directory once the save succeeds. */
    Path directory();

    /**
     * Adds a module-specific key to {@code config.yml}; values must be YAML-serializable.
     *
     * @throws IllegalArgumentException for a key Kiln reserves for itself
     */
    ModelWriter put(String key, Object value);
}
