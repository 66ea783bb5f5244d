package dev.kiln.slurm.scheduler;

import java.util.List;

/**
 * What a finished command printed and how it exited.
 *
 * @param command the program and its arguments
 * @param exitCode the exit code
 * @param stdout everything it wrote to standard output
 * @param stderr everything it wrote to standard error
 */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {
    public CommandResult {
        command = List.copyOf(command);
        stdout = stdout == null ? "" : stdout;
        stderr = stderr == null ? "" : stderr;
    }

    /** Whether it exited with code 0. */
    public boolean succeeded() {
        return exitCode == 0;
    }

    /** Its error output and then its standard output, trimmed, for error messages. */
    public String output() {
        String err = stderr.strip();
        String out = stdout.strip();
        if (err.isEmpty()) {
            return out;
        }
        return out.isEmpty() ? err : err + "\n" + out;
    }
}
