package dev.kiln.server.api;

import dev.kiln.job.Progress;
import java.time.Instant;
import java.util.Map;

/**
 * One progress report of a training.
 *
 * @param step the step reached
 * @param total the steps expected, or 0 when unknown
 * @param fraction step / total in [0, 1], or -1 when the total is unknown
 * @param metrics named metrics at this step, such as {@code loss}
 * @param timestamp when the module reported it
 */
public record ProgressReport(long step, long total, double fraction, Map<String, Double> metrics, Instant timestamp) {

    /** The report for a progress snapshot, or null for none. */
    public static ProgressReport of(Progress p) {
        return p == null ? null : new ProgressReport(p.step(), p.total(), p.fraction(), p.metrics(), p.timestamp());
    }
}
