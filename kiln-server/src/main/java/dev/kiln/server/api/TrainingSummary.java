package dev.kiln.server.api;

import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * A training as the list of trainings shows it.
 *
 * @param trainingId the training id
 * @param trainer the trainer instance running it, such as {@code default}
 * @param module the module it trains
 * @param modelName the model name it was given, or null
 * @param state its state
 * @param submissionTimestamp when it was submitted
 * @param startTimestamp when it started running, or null
 * @param completionTimestamp when it reached a terminal state, or null
 * @param progress its latest progress report, or null
 * @param reasons the messages of the errors that ended it
 * @param savePath where its model is (or will be) saved, or null
 * @param priority its place in its trainer's queue: higher starts first, equal ones in order of submission
 * @param attempt its current attempt, counting from 1 (more than 1 once it was retried)
 */
public record TrainingSummary(
        String trainingId,
        String trainer,
        ModuleRef module,
        String modelName,
        JobStatus state,
        Instant submissionTimestamp,
        Instant startTimestamp,
        Instant completionTimestamp,
        ProgressReport progress,
        List<String> reasons,
        String savePath,
        int priority,
        int attempt) {}
