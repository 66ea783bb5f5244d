package dev.kiln.slurm.scheduler;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code sacct -P -n -o JobID,State,ExitCode,Start,End}: one {@code |}-separated line per job or job step.
 * Steps ({@code 12.batch}) are skipped; the job's own line is what counts.
 */
public final class SacctJobsParser {
    private SacctJobsParser() {}

    /** The jobs in the output, by job id. */
    public static Map<String, SlurmJobStatus> parse(String output) {
        Map<String, SlurmJobStatus> jobs = new LinkedHashMap<>();
        for (String line : output.split("\n", -1)) {
            String[] cols = line.strip().split("\\|", -1);
            if (cols.length < 3 || cols[0].isEmpty() || cols[0].contains(".")) {
                continue;
            }
            jobs.put(
                    cols[0],
                    new SlurmJobStatus(cols[0], SlurmState.parse(cols[1]), cols[1], ExitCode.parse(cols[2]), null));
        }
        return jobs;
    }
}
