package dev.kiln.server.api;

import dev.kiln.job.Attempt;
import java.time.Instant;

/**
 * One attempt of a training, as Kiln's detail shows it.
 *
 * @param number which attempt, counting from 1
 * @param started when it started
 * @param ended when it ended, or null while it runs
 * @param outcome RUNNING, COMPLETED, RETRIED, ERRORED or CANCELED
 * @param error the error that ended it, or null when it did not fail
 */
public record AttemptReport(int number, Instant started, Instant ended, String outcome, ErrorDetail error) {

    /** The report of an attempt. */
    public static AttemptReport of(Attempt a) {
        return new AttemptReport(
                a.number(),
                a.started(),
                a.ended(),
                a.outcome().name(),
                a.error() == null ? null : ErrorDetail.of(a.error()));
    }
}
