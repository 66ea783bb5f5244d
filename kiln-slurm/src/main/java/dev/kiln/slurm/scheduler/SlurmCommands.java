package dev.kiln.slurm.scheduler;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Submits, inspects and cancels Slurm jobs through Slurm's command-line tools. */
public final class SlurmCommands {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmCommands.class);
    private static final Pattern JOB_ID = Pattern.compile("\\d+");
    private static final String SACCT_FORMAT = "JobID,State,ExitCode,Start,End";
    /** How many job ids one squeue call asks for, keeping its command line short. */
    static final int IDS_PER_QUERY = 200;

    private final SlurmTools tools;
    private final CommandRunner runner;

    /** Commands that call {@code tools} through {@code runner}. */
    public SlurmCommands(SlurmTools tools, CommandRunner runner) {
        this.tools = Objects.requireNonNull(tools, "tools");
        this.runner = Objects.requireNonNull(runner, "runner");
    }

    /** The tools these commands call. */
    public SlurmTools tools() {
        return tools;
    }

    /**
     * Submits a batch script with {@code sbatch --parsable}.
     *
     * @return the new job's id
     * @throws SlurmCommandException if sbatch cannot be run, rejects the job, or prints no job id
     */
    public String submit(SubmitOptions options, Path script) {
        return submit(options.arguments(), script);
    }

    /**
     * Submits a batch script with {@code sbatch --parsable} and these options, such as a job's recorded ones.
     *
     * @return the new job's id
     * @throws SlurmCommandException if sbatch cannot be run, rejects the job, or prints no job id
     */
    public String submit(List<String> arguments, Path script) {
        List<String> command = new ArrayList<>();
        command.add(tools.sbatch());
        command.add("--parsable");
        command.addAll(arguments);
        command.add(script.toString());
        CommandResult result = runChecked(command);
        String out = result.stdout().strip();
        int semicolon = out.indexOf(';');
        String id = semicolon < 0 ? out : out.substring(0, semicolon);
        if (!JOB_ID.matcher(id).matches()) {
            throw SlurmCommandException.unreadable(result, "no job id");
        }
        return id;
    }

    /**
     * The jobs among {@code jobIds} that the controller still holds, finished ones included until {@code MinJobAge}
     * passes, from {@code squeue -t all -j ...} ({@value #IDS_PER_QUERY} ids a call): only these jobs are read,
     * however many others the cluster runs. Jobs the controller no longer holds are left out.
     *
     * @throws SlurmCommandException if squeue cannot be run or fails, for instance when the controller is down
     */
    public Map<String, SlurmJobStatus> showJobs(Collection<String> jobIds) {
        Map<String, SlurmJobStatus> found = new LinkedHashMap<>();
        List<String> ids = List.copyOf(jobIds);
        for (int from = 0; from < ids.size(); from += IDS_PER_QUERY) {
            String chunk = String.join(",", ids.subList(from, Math.min(ids.size(), from + IDS_PER_QUERY)));
            CommandResult result =
                    run(List.of(tools.squeue(), "-h", "-t", "all", "-j", chunk, "-O", SqueueJobsParser.FORMAT));
            if (!result.succeeded() && result.stderr().contains("Invalid job id specified")) {
                continue; // squeue's answer when it holds none of the jobs asked for
            }
            found.putAll(SqueueJobsParser.parse(checked(result).stdout()));
        }
        return found;
    }

    /**
     * The final states of jobs the controller has purged, from the job-completion log ({@code sacct -c}) and, for
     * any still missing, the accounting database ({@code sacct}). Jobs neither knows are left out.
     *
     * @throws SlurmCommandException if neither source could be read
     */
    public Map<String, SlurmJobStatus> finishedJobs(Collection<String> jobIds) {
        Map<String, SlurmJobStatus> found = new LinkedHashMap<>();
        if (jobIds.isEmpty()) {
            return found;
        }
        String ids = String.join(",", jobIds);
        SlurmCommandException completionLogFailure = null;
        try {
            found.putAll(SacctJobsParser.parse(
                    runChecked(List.of(tools.sacct(), "-c", "-j", ids, "-P", "-n", "-o", SACCT_FORMAT))
                            .stdout()));
        } catch (SlurmCommandException e) {
            completionLogFailure = e;
        }
        if (found.keySet().containsAll(jobIds)) {
            return found;
        }
        try {
            SacctJobsParser.parse(runChecked(List.of(tools.sacct(), "-X", "-j", ids, "-P", "-n", "-o", SACCT_FORMAT))
                            .stdout())
                    .forEach(found::putIfAbsent);
        } catch (SlurmCommandException e) {
            if (completionLogFailure != null) {
                throw completionLogFailure;
            }
            LOG.debug("No accounting database to read jobs {} from: {}", ids, e.getMessage());
        }
        return found;
    }

    /**
     * Sends {@code scancel} for a job; Slurm says nothing when the job has already finished or is unknown.
     *
     * @throws SlurmCommandException if scancel cannot be run or fails
     */
    public void cancel(String jobId) {
        runChecked(List.of(tools.scancel(), jobId));
    }

    /**
     * The id of the job with this name that runs this script, if the controller still holds it.
     *
     * @throws SlurmCommandException if squeue cannot be run or fails
     */
    public Optional<String> findJob(String jobName, Path script) {
        CommandResult result = runChecked(List.of(tools.squeue(), "-h", "-t", "all", "-n", jobName, "-o", "%i|%o"));
        for (String line : result.stdout().split("\n", -1)) {
            int bar = line.indexOf('|');
            if (bar > 0 && line.substring(bar + 1).strip().equals(script.toString())) {
                return Optional.of(line.substring(0, bar).strip());
            }
        }
        return Optional.empty();
    }

    /**
     * Checks that the controller answers, with {@code scontrol ping}.
     *
     * @throws SlurmCommandException if it does not
     */
    public void ping() {
        CommandResult result = runChecked(List.of(tools.scontrol(), "ping"));
        if (!result.stdout().contains("UP")) {
            throw SlurmCommandException.unreadable(result, "no controller that is UP");
        }
    }

    private CommandResult runChecked(List<String> command) {
        return checked(run(command));
    }

    private CommandResult run(List<String> command) {
        try {
            return runner.run(command);
        } catch (IOException e) {
            throw SlurmCommandException.notRun(command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw SlurmCommandException.notRun(command, new IOException("interrupted", e));
        }
    }

    private static CommandResult checked(CommandResult result) {
        if (!result.succeeded()) {
            throw SlurmCommandException.failed(result);
        }
        return result;
    }
}
