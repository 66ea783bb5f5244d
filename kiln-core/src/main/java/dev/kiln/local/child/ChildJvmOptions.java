package dev.kiln.local.child;

import dev.kiln.worker.WorkerMain;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How child JVMs are started and watched: the trainer's settings plus the runner's own timings.
 *
 * @param java the {@code java} executable (its JDK may be newer than this JVM's)
 * @param classpath the class path entries, absolute
 * @param jvmOptions the JVM options, defaults merged with the configured ones
 * @param environment variables set on top of this JVM's environment
 * @param workDir where the trainer's job directories go
 * @param startMethod spawn or forkserver
 * @param warmPoolSize how many idle JVMs forkserver keeps
 * @param warmPoolRefill when forkserver starts the replacement for a worker that took a job
 * @param cancelGracePeriod how long a child has after SIGTERM, or after its last message, before it is killed; zero
 *     kills a cancelled child at once, without SIGTERM
 * @param logCaptureBytes the most output kept per job
 * @param heartbeatInterval how often a working child says it is alive
 * @param silenceTimeout how long a working child may send nothing before it counts as hung
 * @param mainClass the worker's main class
 * @param classDataSharing whether to keep an application class-data archive for faster start-up
 */
public record ChildJvmOptions(
        String java,
        List<String> classpath,
        List<String> jvmOptions,
        Map<String, String> environment,
        Path workDir,
        StartMethod startMethod,
        int warmPoolSize,
        WarmPoolRefill warmPoolRefill,
        Duration cancelGracePeriod,
        long logCaptureBytes,
        Duration heartbeatInterval,
        Duration silenceTimeout,
        String mainClass,
        boolean classDataSharing) {

    /** The interval at which workers send heartbeats. */
    public static final Duration HEARTBEAT_INTERVAL = Duration.ofSeconds(1);

    /** How long a worker may be silent (no heartbeat, no event) before its job fails: generous for loaded hosts. */
    public static final Duration SILENCE_TIMEOUT = Duration.ofSeconds(60);

    /**
     * The options every child JVM starts with before its configured {@code jvm_options} (which replace a default of
     * the same name), in order; a spawned worker on one or two processors also gets one JIT compiler thread.
     */
    public static List<String> defaultJvmOptions() {
        return JvmOptionDefaults.DEFAULTS;
    }

    public ChildJvmOptions {
        Objects.requireNonNull(java, "java");
        classpath = List.copyOf(classpath);
        jvmOptions = List.copyOf(jvmOptions);
        environment = Map.copyOf(environment);
        Objects.requireNonNull(workDir, "workDir");
        Objects.requireNonNull(startMethod, "startMethod");
        Objects.requireNonNull(warmPoolRefill, "warmPoolRefill");
        Objects.requireNonNull(cancelGracePeriod, "cancelGracePeriod");
        Objects.requireNonNull(heartbeatInterval, "heartbeatInterval");
        Objects.requireNonNull(silenceTimeout, "silenceTimeout");
        Objects.requireNonNull(mainClass, "mainClass");
    }

    /** The options a LOCAL trainer's settings describe, with this JVM's {@code java} and class path by default. */
    public static ChildJvmOptions from(ChildJvmSettings settings) {
        List<String> classpath =
                settings.classpath() != null ? ChildClasspath.parse(settings.classpath()) : ChildClasspath.current();
        return new ChildJvmOptions(
                settings.java() != null ? settings.java() : JavaExecutable.current(),
                classpath,
                JvmOptionDefaults.merge(settings.jvmOptions(), settings.startMethod()),
                settings.environment(),
                settings.workDir(),
                settings.startMethod(),
                settings.warmPoolSize(),
                settings.warmPoolRefill(),
                settings.cancelGracePeriod(),
                settings.logCaptureBytes(),
                HEARTBEAT_INTERVAL,
                SILENCE_TIMEOUT,
                WorkerMain.class.getName(),
                true);
    }

    public ChildJvmOptions withStartMethod(StartMethod value, int poolSize) {
        return new ChildJvmOptions(
                java,
                classpath,
                jvmOptions,
                environment,
                workDir,
                value,
                poolSize,
                warmPoolRefill,
                cancelGracePeriod,
                logCaptureBytes,
                heartbeatInterval,
                silenceTimeout,
                mainClass,
                classDataSharing);
    }

    public ChildJvmOptions withSilenceTimeout(Duration value) {
        return new ChildJvmOptions(
                java,
                classpath,
                jvmOptions,
                environment,
                workDir,
                startMethod,
                warmPoolSize,
                warmPoolRefill,
                cancelGracePeriod,
                logCaptureBytes,
                heartbeatInterval,
                value,
                mainClass,
                classDataSharing);
    }

    public ChildJvmOptions withMainClass(String value) {
        return new ChildJvmOptions(
                java,
                classpath,
                jvmOptions,
                environment,
                workDir,
                startMethod,
                warmPoolSize,
                warmPoolRefill,
                cancelGracePeriod,
                logCaptureBytes,
                heartbeatInterval,
                silenceTimeout,
                value,
                classDataSharing);
    }

    public ChildJvmOptions withClassDataSharing(boolean value) {
        return new ChildJvmOptions(
                java,
                classpath,
                jvmOptions,
                environment,
                workDir,
                startMethod,
                warmPoolSize,
                warmPoolRefill,
                cancelGracePeriod,
                logCaptureBytes,
                heartbeatInterval,
                silenceTimeout,
                mainClass,
                value);
    }
}
