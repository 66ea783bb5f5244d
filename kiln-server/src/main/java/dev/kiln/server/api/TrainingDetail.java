package dev.kiln.server.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;

/**
 * Everything the server knows about one training.
 *
 * @param trainingId the training id
 * @param trainer the trainer instance running it
 * @param module the module it trains
 * @param modelName the model name it was given, or null
 * @param state its state
 * @param submissionTimestamp when it was submitted
 * @param startTimestamp when it started running, or null
 * @param completionTimestamp when it reached a terminal state, or null
 * @param progress its latest progress report, or null
 * @param reasons the messages of the errors that ended it
 * @param errors the errors that ended it, with their stacks
 * @param savePath where its model is (or will be) saved, or null
 * @param parameters the training parameters as submitted (data paths resolved, defaults filled), or null when
 *     the training was not submitted through this server
 * @param live whether the trainer still holds the training (false for trainings known only from the journal)
 * @param checkpointBytes the bytes its checkpoints take on disk now (0 when it has none)
 * @param priority its place in its trainer's queue: higher starts first, equal ones in order of submission
 * @param attempt its current attempt, counting from 1 (more than 1 once it was retried)
 * @param attempts every attempt so far, oldest first, each with its start, end, outcome and error
 */
public record TrainingDetail(
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
        List<ErrorDetail> errors,
        String savePath,
        JsonNode parameters,
        boolean live,
        long checkpointBytes,
        int priority,
        int attempt,
        List<AttemptReport> attempts) {}
