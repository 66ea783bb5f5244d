package dev.kiln.slurm.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code squeue -h -t all -O JobID:|,State:|,Reason:|,RestartCnt:|,exit_code}: one line per job, fields
 * separated by {@code |}, the last one padded. {@code RestartCnt} counts Slurm's requeues of the job. squeue prints the exit code as the raw wait status; it is read as Slurm's
 * {@code code:signal}.
 */
public final class SqueueJobsParser {
    /** The {@code -O} format these lines are printed in. */
    public static final String FORMAT = "JobID:|,State:|,Reason:|,RestartCnt:|,exit_code";

    private SqueueJobsParser() {}

    /** The jobs in the output, by job id; lines not in the format are skipped. */
    public static Map<String, SlurmJobStatus> parse(String output) {
        Map<String, SlurmJobStatus> jobs = new LinkedHashMap<>();
        for (String line : output.split("\n", -1)) {
            String[] fields = line.split("\\|", -1);
            if (fields.length != 5) {
                continue;
            }
            String id = fields[0].strip();
            String state = fields[1].strip();
            if (id.isEmpty() || state.isEmpty()) {
                continue;
            }
            jobs.put(
                    id,
                    new SlurmJobStatus(
                            id,
                            SlurmState.parse(state),
                            state,
                            ExitCode.fromWaitStatus(fields[4].strip()),
                            fields[2].strip(),
                            restarts(fields[3].strip())));
        }
        return jobs;
    }

    private static Integer restarts(String text) {
        try {
            return Integer.valueOf(text);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
