package dev.kiln.slurm.scheduler;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code scontrol -o show job}: one line per job of space-separated {@code Key=Value} pairs. A value may
 * itself hold spaces, so a pair ends only where the next {@code Key=} begins, and the first occurrence of a key
 * wins (the fields Kiln reads come before the free-text ones such as {@code Command} and {@code WorkDir}).
 */
public final class ScontrolJobsParser {
    private static final Pattern KEY = Pattern.compile("(?:^| )([A-Za-z][A-Za-z0-9_:/.-]*)=");

    private ScontrolJobsParser() {
    }

    /** The jobs in the output, by job id; {@code No jobs in the system} and blank output give none. */
    public static Map<String, SlurmJobStatus> parse(String output) {
        Map<String, SlurmJobStatus> jobs = new LinkedHashMap<>();
        for (String line : output.split("\n")) {
            Map<String, String> fields = fields(line.strip());
            String id = fields.get("JobId");
            String state = fields.get("JobState");
            if (id == null || id.isEmpty() || state == null) {
                continue;
            }
            jobs.put(id, new SlurmJobStatus(id, SlurmState.parse(state), state, ExitCode.parse(fields.get("ExitCode")),
                    fields.get("Reason")));
        }
        return jobs;
    }

    /** The {@code Key=Value} pairs of one line, first occurrence of each key. */
    static Map<String, String> fields(String line) {
        Map<String, String> fields = new HashMap<>();
        Matcher m = KEY.matcher(line);
        String key = null;
        int valueStart = 0;
        while (m.find()) {
            if (key != null) {
                fields.putIfAbsent(key, line.substring(valueStart, m.start()).strip());
            }
            key = m.group(1);
            valueStart = m.end();
        }
        if (key != null) {
            fields.putIfAbsent(key, line.substring(valueStart).strip());
        }
        return fields;
    }
}
