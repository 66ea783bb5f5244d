package dev.kiln.slurm.scheduler;

import java.time.Duration;

/** Slurm's time format for {@code --time}: {@code days-hours:minutes:seconds}. */
public final class SlurmTime {
    private SlurmTime() {}

    /**
     * Formats a duration as {@code D-HH:MM:SS}, rounding a fraction of a second up. Slurm itself rounds time limits
     * up to whole minutes.
     *
     * @throws IllegalArgumentException if the duration is not positive
     */
    public static String format(Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException("A Slurm time limit must be positive, not " + d);
        }
        long seconds = d.getSeconds() + (d.getNano() > 0 ? 1 : 0);
        long days = seconds / 86_400;
        long rest = seconds % 86_400;
        return String.format("%d-%02d:%02d:%02d", days, rest / 3600, rest % 3600 / 60, rest % 60);
    }
}
