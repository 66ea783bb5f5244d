package dev.kiln.model;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** What a model writes while saving: artifacts into a directory, and its own keys for {@code config.yml}. */
public final class ModelWriter {
    private final Path directory;
    private final Map<String, Object> config = new LinkedHashMap<>();

    ModelWriter(Path directory) {
        this.directory = directory;
    }

    /** The directory to write artifacts into; it becomes the model directory once the save succeeds. */
    public Path directory() {
        return directory;
    }

    /** Adds a module-specific key to {@code config.yml}; values must be YAML-serializable. */
    public ModelWriter put(String key, Object value) {
        if (ModelFormat.RESERVED_KEYS.contains(key)) {
            throw new IllegalArgumentException("config key '" + key + "' is reserved by Kiln");
        }
        config.put(key, value);
        return this;
    }

    Map<String, Object> config() {
        return config;
    }
}
