package dev.kiln.local;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.checkpoint.CheckpointSettings;
import dev.kiln.config.Settings;
import dev.kiln.local.child.ChildJvmSettings;
import dev.kiln.local.child.StartMethod;
import dev.kiln.local.child.WarmPoolRefill;
import dev.kiln.trainer.base.RetentionSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The LOCAL trainer's configuration, parsed once at start-up.
 *
 * @param retention how long finished jobs are kept, or null to keep them forever
 * @param deleteResultsOnPurge whether purging a job deletes the model directory it created
 * @param useSubprocess whether each job runs in a child JVM
 * @param startMethod how child JVMs are started
 * @param maxConcurrentJobs how many jobs run at once; 0 means no limit
 * @param maxDuration the longest a job may run, or null for no limit
 * @param workDir where child-JVM jobs keep their spec, output and events
 * @param jvmOptions extra options for child JVMs, such as {@code -Xmx2g}
 * @param classpath the child JVMs' class path, or null for this JVM's
 * @param warmPoolSize how many idle JVMs {@code forkserver} keeps started
 * @param cancelGracePeriod how long a cancelled child JVM has to stop after SIGTERM before it is killed; zero (the
 *     default) kills it at once
 * @param logCaptureBytes the most output kept per child job
 * @param environment variables set for child JVMs on top of this JVM's environment
 * @param java the {@code java} executable child JVMs run ({@code java}, or {@code java_home}'s {@code bin/java}), or
 *     null for the one running this JVM
 * @param warmPoolRefill when {@code forkserver} starts the replacement for a worker that took a job
 * @param checkpoints how trainings' checkpoints are kept ({@code checkpoint_keep}, {@code keep_checkpoints})
 * @param retries when a failed training is tried again ({@code max_retries}, {@code retry_backoff},
 *     {@code retry_on_oom})
 */
public record LocalTrainerSettings(
        Duration retention,
        boolean deleteResultsOnPurge,
        boolean useSubprocess,
        StartMethod startMethod,
        int maxConcurrentJobs,
        Duration maxDuration,
        Path workDir,
        List<String> jvmOptions,
        String classpath,
        int warmPoolSize,
        Duration cancelGracePeriod,
        long logCaptureBytes,
        Map<String, String> environment,
        String java,
        WarmPoolRefill warmPoolRefill,
        CheckpointSettings checkpoints,
        RetrySettings retries)
        implements ChildJvmSettings, RetentionSettings {

    public LocalTrainerSettings {
        warmPoolRefill = warmPoolRefill == null ? WarmPoolRefill.AFTER_JOB : warmPoolRefill;
        checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
        retries = retries == null ? RetrySettings.defaults() : retries;
        jvmOptions = jvmOptions == null ? List.of() : List.copyOf(jvmOptions);
        environment = environment == null ? Map.of() : Map.copyOf(environment);
    }

    /** caikit's defaults: thread mode, retention 1d, no concurrency limit. */
    public static LocalTrainerSettings defaults() {
        return from(Settings.empty("model_management.trainers.default.config"));
    }

    /**
     * Reads a trainer's {@code config} section; a key absent there takes its default.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static LocalTrainerSettings from(Settings c) {
        Duration retention = c.keys().contains("retention_duration")
                ? c.duration("retention_duration").orElse(null)
                : Duration.ofDays(1);
        int maxConcurrentJobs =
                c.integerAtLeast("max_concurrent_jobs", 1).map(Long::intValue).orElse(0);
        return new LocalTrainerSettings(
                retention,
                c.bool("delete_results_on_purge", true),
                c.bool("use_subprocess", false),
                StartMethod.parse(c.key("subprocess_start_method"), c.string("subprocess_start_method", "spawn")),
                maxConcurrentJobs,
                c.duration("max_duration").orElse(null),
                c.path("work_dir").orElse(Path.of(System.getProperty("java.io.tmpdir"), "kiln-work")),
                c.strings("jvm_options"),
                c.string("classpath").orElse(null),
                c.integerAtLeast("warm_pool_size", 0)
                        .map(Long::intValue)
                        .orElse(defaultWarmPoolSize(maxConcurrentJobs)),
                c.duration("cancel_grace_period").orElse(Duration.ZERO),
                c.integerAtLeast("log_capture_bytes", 0).orElse(1L << 20),
                environment(c),
                ChildJava.fromSettings(c),
                WarmPoolRefill.parse(c.key("warm_pool_refill"), c.string("warm_pool_refill", "after_job")),
                CheckpointSettings.from(c),
                RetrySettings.from(c));
    }

    /**
     * {@code forkserver}'s default pool: one idle worker per job that may run at once, and at least two, so a job
     * submitted the moment the previous one ended still finds a started worker while that one's replacement starts.
     */
    static int defaultWarmPoolSize(int maxConcurrentJobs) {
        return Math.max(2, maxConcurrentJobs);
    }

    private static Map<String, String> environment(Settings c) {
        JsonNode value = c.json().get("environment");
        if (value != null && !value.isNull() && !value.isObject()) {
            throw c.invalid("environment", value, "expected a map of variable names to values");
        }
        Settings section = c.section("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        for (String name : section.keys()) {
            variables.put(name, section.string(name, ""));
        }
        return variables;
    }

    /** These settings with {@code retention_duration} replaced (null keeps finished jobs for ever). */
    public LocalTrainerSettings withRetention(Duration value) {
        return copy(value, maxConcurrentJobs, maxDuration);
    }

    /** These settings with {@code max_concurrent_jobs} replaced (0 for no limit). */
    public LocalTrainerSettings withMaxConcurrentJobs(int value) {
        return copy(retention, value, maxDuration);
    }

    /** These settings with {@code max_duration} replaced (null for no limit). */
    public LocalTrainerSettings withMaxDuration(Duration value) {
        return copy(retention, maxConcurrentJobs, value);
    }

    /** These settings with the values the {@code with} methods change replaced. */
    private LocalTrainerSettings copy(Duration newRetention, int newMaxConcurrentJobs, Duration newMaxDuration) {
        return new LocalTrainerSettings(
                newRetention,
                deleteResultsOnPurge,
                useSubprocess,
                startMethod,
                newMaxConcurrentJobs,
                newMaxDuration,
                workDir,
                jvmOptions,
                classpath,
                warmPoolSize,
                cancelGracePeriod,
                logCaptureBytes,
                environment,
                java,
                warmPoolRefill,
                checkpoints,
                retries);
    }
}
