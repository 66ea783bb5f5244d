package dev.kiln.serving;

import dev.kiln.module.Model;
import java.time.Duration;
import java.util.Objects;

/**
 * A model in memory.
 *
 * @param served the id and files it was loaded from
 * @param model the loaded model
 * @param estimatedBytes the heap it is counted for
 * @param loadTime how long loading took
 */
public record LoadedModel(ServedModel served, Model model, long estimatedBytes, Duration loadTime) {
    public LoadedModel {
        Objects.requireNonNull(served, "served");
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loadTime, "loadTime");
    }
}
