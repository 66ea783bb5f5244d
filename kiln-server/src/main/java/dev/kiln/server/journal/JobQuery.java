package dev.kiln.server.journal;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import java.util.Set;

/**
 * Which trainings to list: those in the given states (all when empty), newest first, one page at a time.
 *
 * @param states the states to include, or empty for all
 * @param offset how many matching trainings to skip
 * @param limit the most trainings to return
 */
public record JobQuery(Set<JobStatus> states, int offset, int limit) {

    public JobQuery {
        states = states == null ? Set.of() : Set.copyOf(states);
        if (offset < 0) {
            throw KilnException.invalidArgument("offset must be 0 or more; got " + offset);
        }
        if (limit < 1) {
            throw KilnException.invalidArgument("limit must be 1 or more; got " + limit);
        }
    }

    /** Every training, newest first, up to {@code limit}. */
    public static JobQuery all(int limit) {
        return new JobQuery(Set.of(), 0, limit);
    }
}
