package dev.kiln.serving;

import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How models are served, read once from caikit's keys under {@code runtime} and Kiln's {@code runtime.model_cache}.
 *
 * @param autoLoadTrainedModel whether a completed training's model is served ({@code
 *     runtime.training.auto_load_trained_model}, default true)
 * @param localModelsDir the directory whose model directories are served under their names, and where deploys
 *     write ({@code runtime.local_models_dir}, default {@code models})
 * @param lazyLoadLocalModels whether models placed in that directory while running are picked up, and removed
 *     ones dropped ({@code runtime.lazy_load_local_models}, default false)
 * @param pollPeriod how often the directory is checked when lazy loading ({@code
 *     runtime.lazy_load_poll_period_seconds}, default 10)
 * @param cacheMaxBytes the bound on the estimated size of the models in memory ({@code
 *     runtime.model_cache.max_bytes}, default a quarter of the maximum heap)
 * @param sizeMultiplier a model's estimated heap size per byte on disk ({@code runtime.model_cache.size_multiplier},
 *     default 4: a TextClassifier holds about 3.8 times its bytes on disk; caikit's
 *     {@code default_model_size_multiplier} is 10)
 */
public record ServingSettings(
        boolean autoLoadTrainedModel,
        Path localModelsDir,
        boolean lazyLoadLocalModels,
        Duration pollPeriod,
        long cacheMaxBytes,
        double sizeMultiplier) {
    public ServingSettings {
        if (cacheMaxBytes <= 0) {
            throw KilnException.invalidArgument(
                    "Invalid value '" + cacheMaxBytes + "' for runtime.model_cache.max_bytes: expected at least 1");
        }
        if (!(sizeMultiplier > 0)) {
            throw KilnException.invalidArgument("Invalid value '" + sizeMultiplier
                    + "' for runtime.model_cache.size_multiplier: expected a positive number");
        }
        if (pollPeriod.isNegative() || pollPeriod.isZero()) {
            throw KilnException.invalidArgument("Invalid value '" + pollPeriod
                    + "' for runtime.lazy_load_poll_period_seconds: expected a positive duration");
        }
    }

    /**
     * Reads the settings.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad key and value
     */
    public static ServingSettings from(KilnConfig config) {
        Settings runtime = config.section("runtime");
        Settings cache = config.section("runtime.model_cache");
        double multiplier = 4;
        if (cache.has("size_multiplier") && !cache.json().get("size_multiplier").isNull()) {
            var v = cache.json().get("size_multiplier");
            if (!v.isNumber() || !(v.asDouble() > 0)) {
                throw cache.invalid("size_multiplier", v, "expected a positive number");
            }
            multiplier = v.asDouble();
        }
        return new ServingSettings(
                config.section("runtime.training").bool("auto_load_trained_model", true),
                runtime.path("local_models_dir").orElse(Path.of("models")),
                runtime.bool("lazy_load_local_models", false),
                runtime.duration("lazy_load_poll_period_seconds").orElse(Duration.ofSeconds(10)),
                cache.integerAtLeast("max_bytes", 1).orElse(Runtime.getRuntime().maxMemory() / 4),
                multiplier);
    }

    /** Defaults: trained models served, {@code models} as the local directory, a quarter of the heap as bound. */
    public static ServingSettings defaults() {
        return new ServingSettings(
                true,
                Path.of("models"),
                false,
                Duration.ofSeconds(10),
                Runtime.getRuntime().maxMemory() / 4,
                4);
    }

    /** These settings with another local models directory. */
    public ServingSettings withLocalModelsDir(Path dir) {
        return new ServingSettings(
                autoLoadTrainedModel, dir, lazyLoadLocalModels, pollPeriod, cacheMaxBytes, sizeMultiplier);
    }

    /** These settings with lazy loading of local models on or off. */
    public ServingSettings withLazyLoadLocalModels(boolean value) {
        return new ServingSettings(
                autoLoadTrainedModel, localModelsDir, value, pollPeriod, cacheMaxBytes, sizeMultiplier);
    }

    /** These settings with another cache bound. */
    public ServingSettings withCacheMaxBytes(long value) {
        return new ServingSettings(
                autoLoadTrainedModel, localModelsDir, lazyLoadLocalModels, pollPeriod, value, sizeMultiplier);
    }
}
