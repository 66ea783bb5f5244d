package dev.kiln.job;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A progress report from a running training.
 *
 * @param step the step reached (an epoch or a batch, as the module counts)
 * @param total the number of steps expected, or 0 when unknown
 * @param metrics named metrics at this step, such as {@code loss} or {@code accuracy}
 * @param timestamp when the module reported it
 */
public record Progress(long step, long total, Map<String, Double> metrics, Instant timestamp) {
    public Progress {
        metrics = Map.copyOf(Objects.requireNonNull(metrics, "metrics"));
        Objects.requireNonNull(timestamp, "timestamp");
    }

    /** The fraction done in [0, 1], or -1 when the total is unknown. */
    public double fraction() {
        return total <= 0 ? -1 : Math.min(1.0, (double) step / total);
    }
}
