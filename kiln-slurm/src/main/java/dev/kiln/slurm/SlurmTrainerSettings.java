package dev.kiln.slurm;

import dev.kiln.checkpoint.CheckpointSettings;
import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import dev.kiln.slurm.scheduler.SlurmTools;
import dev.kiln.slurm.scheduler.SubmitOptions;
import dev.kiln.trainer.base.RetentionSettings;
import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The SLURM trainer's configuration, parsed once at start-up.
 *
 * @param retention how long finished jobs are kept, or null to keep them forever
 * @param deleteResultsOnPurge whether purging a job deletes the model directory it created
 * @param workDir the shared directory every node can read and write, holding one directory per training
 * @param partition the partition to submit to, or null for the cluster's default
 * @param account the account to charge, or null
 * @param qos the quality of service, or null
 * @param timeLimit the jobs' time limit, or null for the partition's default
 * @param cpusPerTask the CPUs each job gets, or null
 * @param mem the memory each job gets in Slurm's notation ({@code 4G}), or null
 * @param gres generic resources such as {@code gpu:1}, or null
 * @param sbatchArgs further sbatch options, passed as they are
 * @param java the java command as the compute nodes see it
 * @param jvmOptions options for the worker JVM, such as {@code -Xmx8g}; by default
 *     {@code -XX:+ExitOnOutOfMemoryError}
 * @param classpath the worker's class path as the compute nodes see it
 * @param pollInterval how often the poller asks Slurm about active jobs and reads their events
 * @param commandTimeout the longest a Slurm command may take
 * @param tools where sbatch, squeue, scontrol, scancel and sacct are
 * @param logCaptureBytes the most of a job's output {@code logs()} returns (its end)
 * @param checkpointGrace how long before a job's time limit (or when it is preempted) Slurm sends the worker
 *     SIGUSR1 so that it checkpoints, or null for no signal ({@code checkpoint_grace}, default 60 s; 0 turns it off)
 * @param maxRetries how many times a training whose Slurm job ended NODE_FAIL, BOOT_FAIL or PREEMPTED is
 *     submitted again, counting every attempt since the first, Slurm's own requeues included ({@code max_retries},
 *     default 2)
 * @param negativeNice whether a priority above 0 may become a negative {@code --nice}, which Slurm accepts only from
 *     root, its SlurmUser and operators ({@code negative_nice}, default false: such priorities submit at nice 0)
 * @param checkpoints how trainings' checkpoints are kept ({@code checkpoint_keep}, {@code keep_checkpoints})
 */
public record SlurmTrainerSettings(
        Duration retention,
        boolean deleteResultsOnPurge,
        Path workDir,
        String partition,
        String account,
        String qos,
        Duration timeLimit,
        Integer cpusPerTask,
        String mem,
        String gres,
        List<String> sbatchArgs,
        String java,
        List<String> jvmOptions,
        String classpath,
        Duration pollInterval,
        Duration commandTimeout,
        SlurmTools tools,
        long logCaptureBytes,
        Duration checkpointGrace,
        int maxRetries,
        boolean negativeNice,
        CheckpointSettings checkpoints)
        implements RetentionSettings {
    /** The largest nice value Slurm takes, either way. */
    static final long MAX_NICE = 2_147_483_645L;

    private static final Pattern MEMORY = Pattern.compile("\\d+[KMGTkmgt]?");
    /** A worker out of heap ends at once and says so in its output, rather than limping on. */
    static final List<String> DEFAULT_JVM_OPTIONS = List.of("-XX:+ExitOnOutOfMemoryError");

    public SlurmTrainerSettings {
        sbatchArgs = List.copyOf(sbatchArgs);
        jvmOptions = List.copyOf(jvmOptions);
        checkpoints = checkpoints == null ? CheckpointSettings.defaults() : checkpoints;
    }

    /**
     * Reads a trainer's {@code config} section; a key absent there takes its default. {@code work_dir} is required;
     * {@code java} and {@code classpath} default to this JVM's, which suits nodes that share its file system.
     * Relative paths are made absolute against this process's directory.
     *
     * @throws KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static SlurmTrainerSettings from(Settings c) {
        Duration retention = c.keys().contains("retention_duration")
                ? c.duration("retention_duration").orElse(null)
                : Duration.ofDays(1);
        Path workDir = c.path("work_dir")
                .orElseThrow(() -> KilnException.invalidArgument(c.key("work_dir")
                        + " is required for a SLURM trainer: a directory that this process and every compute node can read"
                        + " and write"))
                .toAbsolutePath()
                .normalize();
        Optional<String> mem = nonBlank(c, "mem");
        if (mem.isPresent() && !MEMORY.matcher(mem.get()).matches()) {
            throw c.invalid("mem", c.json().get("mem"), "expected a size such as 4096, 500M or 4G");
        }
        return new SlurmTrainerSettings(
                retention,
                c.bool("delete_results_on_purge", true),
                workDir,
                nonBlank(c, "partition").orElse(null),
                nonBlank(c, "account").orElse(null),
                nonBlank(c, "qos").orElse(null),
                positive(c, "time_limit").orElse(null),
                c.integerAtLeast("cpus_per_task", 1).map(Long::intValue).orElse(null),
                mem.orElse(null),
                nonBlank(c, "gres").orElse(null),
                c.strings("sbatch_args"),
                nonBlank(c, "java")
                        .map(SlurmTrainerSettings::absoluteCommand)
                        .orElse(Path.of(System.getProperty("java.home"), "bin", "java")
                                .toString()),
                c.keys().contains("jvm_options") ? c.strings("jvm_options") : DEFAULT_JVM_OPTIONS,
                absoluteClasspath(nonBlank(c, "classpath").orElse(System.getProperty("java.class.path"))),
                positive(c, "poll_interval").orElse(Duration.ofSeconds(5)),
                positive(c, "command_timeout").orElse(Duration.ofSeconds(60)),
                new SlurmTools(
                        nonBlank(c, "sbatch").orElse("sbatch"),
                        nonBlank(c, "squeue").orElse("squeue"),
                        nonBlank(c, "scontrol").orElse("scontrol"),
                        nonBlank(c, "scancel").orElse("scancel"),
                        nonBlank(c, "sacct").orElse("sacct")),
                c.integerAtLeast("log_capture_bytes", 0).orElse(1L << 20),
                checkpointGrace(c),
                c.integerAtLeast("max_retries", 0).map(Long::intValue).orElse(2),
                c.bool("negative_nice", false),
                CheckpointSettings.from(c));
    }

    /**
     * The nice value of a training with {@code priority}: its negation, so that a higher priority is a lower nice;
     * a negative one only if {@code negative_nice} allows it (else 0), and null (no {@code --nice}) for 0.
     */
    Integer nice(int priority) {
        long nice = -(long) priority;
        if (nice < 0 && !negativeNice) {
            nice = 0;
        }
        nice = Math.max(-MAX_NICE, Math.min(MAX_NICE, nice));
        return nice == 0 ? null : (int) nice;
    }

    private static Duration checkpointGrace(Settings c) {
        Optional<Duration> grace = c.duration("checkpoint_grace");
        if (grace.isEmpty()) {
            return Duration.ofSeconds(60);
        }
        Duration d = grace.get();
        if (d.isNegative() || d.toSeconds() > SubmitOptions.MAX_SIGNAL_SECONDS) {
            throw c.invalid(
                    "checkpoint_grace",
                    c.json().get("checkpoint_grace"),
                    "expected 0 (no signal) to " + SubmitOptions.MAX_SIGNAL_SECONDS + " seconds");
        }
        return d.isZero() ? null : d;
    }

    /**
     * The class path with relative entries made absolute against this process's directory: batch jobs start in
     * their job directory, where a relative entry would point nowhere.
     */
    static String absoluteClasspath(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(Pattern.quote(File.pathSeparator), -1)) {
            entries.add(
                    entry.isEmpty()
                            ? entry
                            : Path.of(entry).toAbsolutePath().normalize().toString());
        }
        return String.join(File.pathSeparator, entries);
    }

    /** A command with a directory part made absolute; a bare name is left for the node's PATH. */
    static String absoluteCommand(String command) {
        return command.contains(File.separator)
                ? Path.of(command).toAbsolutePath().normalize().toString()
                : command;
    }

    private static Optional<String> nonBlank(Settings c, String key) {
        return c.string(key).map(String::strip).filter(s -> !s.isEmpty());
    }

    private static Optional<Duration> positive(Settings c, String key) {
        Optional<Duration> d = c.duration(key);
        if (d.isPresent() && (d.get().isZero() || d.get().isNegative())) {
            throw c.invalid(key, c.json().get(key), "expected a duration above zero");
        }
        return d;
    }
}
