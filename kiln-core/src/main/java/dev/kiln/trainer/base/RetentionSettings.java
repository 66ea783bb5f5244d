package dev.kiln.trainer.base;

import java.time.Duration;

/** What every trainer's settings say about finished jobs: how long they are kept, and what a purge deletes. */
public interface RetentionSettings {
    /** How long a finished job is kept before it is purged ({@code retention_duration}), or null for ever. */
    Duration retention();

    /** Whether purging a job deletes the model directory it created ({@code delete_results_on_purge}). */
    boolean deleteResultsOnPurge();
}
