package dev.kiln.local.child;

import dev.kiln.error.KilnException;
import java.util.Locale;

/** When {@code forkserver} starts the replacement for a pre-started worker that took a job. */
public enum WarmPoolRefill {
    /**
     * When the job's worker has exited: the replacement's start-up does not compete with the running job for the
     * CPU. Jobs submitted back to back are served by the other idle workers of the pool meanwhile.
     */
    AFTER_JOB,
    /** As soon as the worker is taken: the pool is full again soonest, at the cost of a JVM starting beside the job. */
    AT_ONCE;

    /**
     * Parses {@code warm_pool_refill}.
     *
     * @throws KilnException INVALID_ARGUMENT naming the key for an unknown value
     */
    public static WarmPoolRefill parse(String key, String value) {
        String v = value == null ? "after_job" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "after_job" -> AFTER_JOB;
            case "at_once" -> AT_ONCE;
            default ->
                throw KilnException.invalidArgument("Invalid value '" + value + "' for " + key
                        + ": supported values are 'after_job' and 'at_once'");
        };
    }
}
