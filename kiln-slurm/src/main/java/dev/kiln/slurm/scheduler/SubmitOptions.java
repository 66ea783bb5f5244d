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
        List<String> extraArguments) {
    public SubmitOptions {
        Objects.requireNonNull(jobName, "jobName");
        Objects.requireNonNull(output, "output");
        Objects.requireNonNull(workingDirectory, "workingDirectory");
        extraArguments = extraArguments == null ? List.of() : List.copyOf(extraArguments);
    }

    /** The options as {@code sbatch} arguments, in a fixed order. */
    public List<String> arguments() {
        List<String> args = new ArrayList<>();
        args.add("--job-name=" + jobName);
        args.add("--output=" + output);
        args.add("--chdir=" + workingDirectory);
        add(args, "--partition=", partition);
        add(args, "--account=", account);
        add(args, "--qos=", qos);
        add(args, "--time=", timeLimit == null ? null : SlurmTime.format(timeLimit));
        add(args, "--cpus-per-task=", cpusPerTask == null ? null : cpusPerTask.toString());
        add(args, "--mem=", mem);
        add(args, "--gres=", gres);
        args.addAll(extraArguments);
        return args;
    }

    private static void add(List<String> args, String option, String value) {
        if (value != null && !value.isBlank()) {
            args.add(option + value);
        }
    }
}
