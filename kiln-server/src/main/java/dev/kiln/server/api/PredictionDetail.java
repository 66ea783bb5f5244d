package dev.kiln.server.api;

import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * Kiln's view of a prediction job, answered by {@code /management/predictions}: caikit's status plus what ran,
 * how far a batch has got and where its results are.
 *
 * @param predictionId the prediction id
 * @param task the task's route name, such as {@code text-classification}
 * @param modelId the model that runs it
 * @param batch whether it runs over a data stream (results as JSON Lines) rather than one input
 * @param state QUEUED, RUNNING, COMPLETED, CANCELED or ERRORED
 * @param submissionTimestamp when it was submitted
 * @param startTimestamp when it started running, or null
 * @param completionTimestamp when it reached a terminal state, or null
 * @param reasons the messages of the errors that ended it, empty unless ERRORED
 * @param recordsDone how many records a batch has predicted (1 for a finished single prediction)
 * @param recordsTotal how many records a batch has (1 for a single prediction)
 * @param resultsUrl where the results can be fetched once COMPLETED
 */
public record PredictionDetail(
        String predictionId,
        String task,
        String modelId,
        boolean batch,
        JobStatus state,
        Instant submissionTimestamp,
        Instant startTimestamp,
        Instant completionTimestamp,
        List<String> reasons,
        long recordsDone,
        long recordsTotal,
        String resultsUrl) {}
