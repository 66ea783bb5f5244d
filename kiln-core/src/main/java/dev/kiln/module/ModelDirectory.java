package dev.kiln.module;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.util.Map;

/**
 * A saved model's directory and its parsed {@code config.yml}.
 *
 * @param path the directory
 * @param config every key of {@code config.yml}
 */
public record ModelDirectory(Path path, Map<String, Object> config) {
    /** The config file every model directory holds. */
    public static final String CONFIG_FILE = "config.yml";

    public ModelDirectory {
        config = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(config));
    }

    /** An artifact's path inside the directory. */
    public Path resolve(String artifact) {
        return path.resolve(artifact);
    }

    /**
     * A required string key.
     *
     * @throws KilnException INVALID_ARGUMENT naming the key and the file
     */
    public String string(String key) {
        Object v = config.get(key);
        if (v == null) {
            throw KilnException.invalidArgument("Model config " + path.resolve(CONFIG_FILE) + " has no '" + key + "'");
        }
        return v.toString();
    }

    /** An optional key. */
    public Object get(String key) {
        return config.get(key);
    }
}
