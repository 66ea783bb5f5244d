package dev.kiln.server.api;

import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * caikit's {@code PredictionJobStatusResponse}, answered by {@code GET} and {@code DELETE /api/v1/task/{task}/job}.
 *
 * @param predictionId the prediction id
 * @param state QUEUED, RUNNING, COMPLETED, CANCELED or ERRORED
 * @param submissionTimestamp when it was submitted; null in a cancel's answer, as caikit leaves it
 * @param completionTimestamp when it reached a terminal state, or null
 * @param reasons the messages of the errors that ended it, empty unless ERRORED
 */
public record PredictionJobStatus(
        String predictionId,
        JobStatus state,
        Instant submissionTimestamp,
        Instant completionTimestamp,
        List<String> reasons) {}
