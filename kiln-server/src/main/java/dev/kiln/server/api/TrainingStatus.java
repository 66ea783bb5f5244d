package dev.kiln.server.api;

import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A training's state in caikit's shape, answered by {@code GET} and {@code DELETE /management/trainings}.
 *
 * @param trainingId the training id
 * @param state QUEUED, RUNNING, COMPLETED, CANCELED or ERRORED
 * @param submissionTimestamp when it was submitted
 * @param completionTimestamp when it reached a terminal state, or null
 * @param reasons the messages of the errors that ended it, empty unless ERRORED
 */
public record TrainingStatus(
        String trainingId,
        JobStatus state,
        Instant submissionTimestamp,
        Instant completionTimestamp,
        List<String> reasons) {}
