package dev.kiln.server.journal;

import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A durable record of trainings. Submissions and endings are durable when their method returns, so the server
 * acknowledges nothing the journal could lose; a start and progress may become durable a moment later (no one is
 * answered on them, and a training the journal shows QUEUED or RUNNING after a crash is interrupted either way), but
 * never after a later change of the same training. State changes never move a terminal training, so late or racing
 * events cannot overwrite how a training ended.
 */
public interface JobJournal extends AutoCloseable {

    /**
     * Records a new training, replacing any earlier training with the same id (a retry after it ended).
     *
     * @throws dev.kiln.error.KilnException UNAVAILABLE if the record could not be made durable
     */
    void recordSubmitted(JobRecord record);

    /** Records that a queued training started running; it may become durable a moment later. */
    void recordStarted(String trainingId, Instant started);

    /** Records every attempt of a training so far; it may become durable a moment later. */
    void recordAttempts(String trainingId, List<Attempt> attempts);

    /**
     * Records a progress report of a training that has not ended; it may become durable a moment later, and is
     * dropped if the store is far behind.
     */
    void recordProgress(String trainingId, Progress progress);

    /**
     * Records that a training ended, with its errors and captured output, unless it already ended.
     *
     * @param logs the training's captured output, or empty
     * @throws dev.kiln.error.KilnException UNAVAILABLE if the change could not be made durable
     */
    void recordFinished(String trainingId, JobStatus state, Instant completed, List<JobError> errors, String logs);

    /**
     * Records that a training left unfinished when the server stopped was submitted again to resume: QUEUED once more,
     * without a start, keeping its submission, parameters and progress history; a training that ended is left as it
     * is.
     *
     * @throws dev.kiln.error.KilnException UNAVAILABLE if the change could not be made durable
     */
    void recordResumed(String trainingId);

    /**
     * Ends every training still QUEUED or RUNNING as ERRORED with {@code reason}: they were interrupted.
     *
     * @return the ids of the trainings it ended
     */
    default List<String> markInterrupted(Instant at, JobError reason) {
        return markInterrupted(at, reason, Set.of());
    }

    /**
     * Ends every training still QUEUED or RUNNING as ERRORED with {@code reason}, except those of the trainers named
     * in {@code spared} (whose jobs outlive the server): they were interrupted.
     *
     * @return the ids of the trainings it ended
     */
    List<String> markInterrupted(Instant at, JobError reason, Set<String> spared);

    /** The training with this id, with its parameters. */
    Optional<JobRecord> find(String trainingId);

    /** A page of trainings, newest first, without their parameters. */
    JobPage list(JobQuery query);

    /** The progress reports of a training with a step after {@code afterStep}, in the order they came. */
    List<Progress> progress(String trainingId, long afterStep, int limit);

    /** The output a training left when it ended, empty if none. */
    String logs(String trainingId);

    /** How many trainings the journal holds in each state. */
    Map<JobStatus, Long> countByState();

    /**
     * Deletes the trainings of {@code trainer} that ended before {@code cutoff}, with their progress.
     *
     * @return the deleted trainings, without their parameters
     */
    List<JobRecord> purgeFinishedBefore(String trainer, Instant cutoff);

    /** Flushes pending writes and releases the store. */
    @Override
    void close();
}
