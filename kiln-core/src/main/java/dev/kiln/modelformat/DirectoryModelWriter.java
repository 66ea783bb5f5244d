package dev.kiln.modelformat;

import dev.kiln.module.ModelWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The writer a save hands a model: it collects the model's config keys, refusing the ones Kiln writes. */
final class DirectoryModelWriter implements ModelWriter {
    static final Set<String> RESERVED_KEYS =
            Set.of("module_id", "module_class", "name", "version", "created", "saved", "tracking_id", "kiln_version");

    private final Path directory;
    private final Map<String, Object> config = new LinkedHashMap<>();

    DirectoryModelWriter(Path directory) {
        this.directory = directory;
    }

    @Override
    public Path directory() {
        return directory;
    }

    @Override
    public ModelWriter put(String key, Object value) {
        if (RESERVED_KEYS.contains(key)) {
            throw new IllegalArgumentException("config key '" + key + "' is reserved by Kiln");
        }
        config.put(key, value);
        return this;
    }

    Map<String, Object> config() {
        return config;
    }
}
