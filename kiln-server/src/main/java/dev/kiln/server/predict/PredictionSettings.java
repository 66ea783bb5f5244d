package dev.kiln.server.predict;

import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.predict.child.ChildJvmBatchSettings;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The job predictor's settings, under {@code model_management.job_predictors.default.config} as caikit keeps them.
 *
 * @param retention how long finished predictions and their results are kept, or null for ever
 * @param resultDir where batch results are written; null for a directory of the server's own, deleted when it stops
 * @param maxConcurrentJobs how many predictions run at once
 * @param childJvm how batches are run in child JVMs ({@code use_subprocess: true}), or null to run them in threads
 */
public record PredictionSettings(
        Duration retention, Path resultDir, int maxConcurrentJobs, ChildJvmBatchSettings childJvm) {
    /** The section the settings are read from. */
    public static final String SECTION = "model_management.job_predictors.default.config";

    /**
     * Reads the settings.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming a bad value
     */
    public static PredictionSettings from(KilnConfig config) {
        Settings c = config.section(SECTION);
        Duration retention = c.keys().contains("retention_duration")
                ? c.duration("retention_duration").orElse(null)
                : Duration.ofDays(1);
        int threads = c.integerAtLeast("max_concurrent_jobs", 1).orElse(2L).intValue();
        return new PredictionSettings(
                retention,
                c.path("result_dir").orElse(null),
                threads,
                ChildJvmBatchSettings.from(c).orElse(null));
    }
}
