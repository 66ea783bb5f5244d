package dev.kiln.server.http;

import dev.kiln.server.api.ModelInfo;
import dev.kiln.serving.ModelStatus;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** Served models in caikit's {@code ModelInfo} shape. */
final class ModelInfos {
    private ModelInfos() {}

    /**
     * The info of a served model; one whose module is not on the class path cannot load and is not loaded, nor is one
     * whose last load failed (until a load succeeds; {@code metadata.load_error} says why).
     */
    static ModelInfo of(ModelStatus s) {
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("origin", s.origin().name().toLowerCase(Locale.ROOT));
        if (s.trainingId() != null) {
            metadata.put("training_id", s.trainingId());
        }
        metadata.put("in_memory", s.inMemory());
        if (s.loadError() != null) {
            metadata.put("load_error", s.loadError());
        }
        Map<String, String> module = new LinkedHashMap<>();
        if (s.moduleName() != null) {
            module.put("name", s.moduleName());
            module.put("version", s.moduleVersion());
        }
        return new ModelInfo(
                s.path().toString(),
                s.id(),
                s.sizeBytes(),
                metadata,
                s.moduleName() != null && s.loadError() == null,
                s.moduleId(),
                module);
    }
}
