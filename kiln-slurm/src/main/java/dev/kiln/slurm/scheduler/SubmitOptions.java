package dev.kiln.slurm.scheduler;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * What {@code sbatch} is told about a job besides its script.
 *
 * @param jobName the job's name
 * @param output the file Slurm writes the job's standard output and error to
 * @param workingDirectory the directory the batch script starts in
 * @param partition the partition, or null for the cluster's default
 * @param account the account to charge, or null
 * @param qos the quality of service, or null
 * @param timeLimit the time limit, or null for the partition's default
 * @param cpusPerTask the CPUs the job needs, or null
 * @param mem the memory per node in Slurm's notation ({@code 4G}), or null
 * @param gres generic resources such as {@code gpu:1}, or null
 * @param checkpointGrace how long before its time limit (or on preemption) the batch shell gets SIGUSR1, or null
 *     for no signal
 * @param nice the job's nice value ({@code --nice}), or null for Slurm's default
 * @param extraArguments further {@code sbatch} options, passed as they are, after the ones above
 */
public record SubmitOptions(
        String jobName,
        Path output,
        Path workingDirectory,
        String partition,
        String account,
        String qos,
        Duration timeLimit,
        Integer cpusPerTask,
        String mem,
        String gres,
        Duration checkpointGrace,
        Integer nice,
        List<String> extraArguments) {
    /** The most seconds {@code --signal}'s {@code @time} takes. */
    public static final long MAX_SIGNAL_SECONDS = 65_535;

    public SubmitOptions {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        extraArguments = extraArguments == null ? List.of() : List.copyOf(extraArguments);
        if (checkpointGrace != null
                && (checkpointGrace.isNegative()
                        || checkpointGrace.isZero()
                        || checkpointGrace.toSeconds() > MAX_SIGNAL_SECONDS)) {
            throw new IllegalArgumentException(
                    "checkpointGrace must be 1 to " + MAX_SIGNAL_SECONDS + " seconds, not " + checkpointGrace);
        }
    }

    /**
     * The options as {@code sbatch} arguments, in a fixed order. Every job is requeueable ({@code --requeue}: a
     * node failure or preemption puts it back in the queue, and its next run resumes from its checkpoint) and
     * appends to its output file ({@code --open-mode=append}: a requeued run would otherwise wipe the earlier runs'
     * output).
     */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--job-name=" + jobName);
        args.add("--output=" + output);
        args.add("--chdir=" + workingDirectory);
        args.add("--requeue");
        args.add("--open-mode=append");
        if (checkpointGrace != null) {
            // B: signals the batch shell only; the batch script execs the worker, so the shell is the worker's JVM
            long seconds = checkpointGrace.getSeconds() + (checkpointGrace.getNano() > 0 ? 1 : 0);
            args.add("--signal=B:USR1@" + seconds);
        }
        add(args, "--partition=", partition);
        add(args, "--account=", account);
        add(args, "--qos=", qos);
        add(args, "--time=", timeLimit == null ? null : SlurmTime.format(timeLimit));
        add(args, "--cpus-per-task=", cpusPerTask == null ? null : cpusPerTask.toString());
        add(args, "--mem=", mem);
        add(args, "--gres=", gres);
        add(args, "--nice=", nice == null ? null : nice.toString());
        args.addAll(extraArguments);
        return args;
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null && !value.isBlank()) {
            args.add(option + value);
        }
    }
}
