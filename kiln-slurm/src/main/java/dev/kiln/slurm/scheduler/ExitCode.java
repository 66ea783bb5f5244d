package dev.kiln.slurm.scheduler;

/**
 * A job's exit as Slurm prints it, {@code code:signal}: {@code 3:0} for {@code exit 3}, {@code 0:15} for a job
 * killed by SIGTERM.
 *
 * @param code the exit code of the batch script
 * @param signal the signal that ended it, or 0
 */
public record ExitCode(int code, int signal) {
    /** A clean exit. */
    public static final ExitCode ZERO = new ExitCode(0, 0);

    /** Parses {@code code:signal}; text that is not in that form gives null. */
    public static ExitCode parse(String text) {
        if (text == null) {
            return null;
        }
        String s = text.strip();
        int colon = s.indexOf(':');
        try {
            if (colon < 0) {
                return new ExitCode(Integer.parseInt(s), 0);
            }
            return new ExitCode(Integer.parseInt(s.substring(0, colon)), Integer.parseInt(s.substring(colon + 1)));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads a raw wait status, as {@code squeue -O exit_code} prints it: {@code 768} is {@code 3:0}, {@code 15} is
     * {@code 0:15}; text that is not a number gives null.
     */
    public static ExitCode fromWaitStatus(String text) {
        if (text == null) {
            return null;
        }
        try {
            int status = Integer.parseInt(text.strip());
            return new ExitCode((status >> 8) & 0xff, status & 0x7f);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return code + ":" + signal;
    }
}
