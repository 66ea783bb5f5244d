package dev.kiln.module;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;

/**
 * What a module sees of the job it is training in: cancellation, progress, a logger, a scratch directory, and
 * checkpoints that let a later attempt of the same training resume where this one stopped.
 */
public interface TrainingContext {
    /** The id of the training. */
    String trainingId();

    /** Whether the training has been cancelled (or timed out); a cooperative module stops when it is. */
    boolean isCancelled();

    /**
     * Stops the training if it has been cancelled.
     *
     * @throws TrainingCancelledException if {@link #isCancelled()} is true
     */
    default void throwIfCancelled() {
        if (isCancelled()) {
            throw new TrainingCancelledException(trainingId());
        }
    }

    /**
     * Reports progress; it shows up in the job's info.
     *
     * @param step the step reached
     * @param total the steps expected, or 0 when unknown
     * @param metrics named metrics at this step, such as {@code loss}
     */
    void reportProgress(long step, long total, Map<String, Double> metrics);

    /**
     * A logger whose lines carry the training id ({@code training_id} in the MDC) and reach the training's log: lines
     * at INFO and above always, DEBUG and TRACE where the logging backend enables them.
     */
    Logger logger();

    /** A directory private to this training, created on first use and removed when the job ends. */
    Path scratchDir();

    /**
     * Saves the module's state at {@code step} in the training's durable directory, so that a later attempt of this
     * training (after a retry or a server restart) can resume from it. The write is atomic: a crash during it leaves
     * the previous checkpoint intact. Only the latest few are kept ({@code checkpoint_keep}).
     *
     * @throws java.io.UncheckedIOException if the checkpoint cannot be written; the previous one is still there
     */
    void saveCheckpoint(long step, byte[] state);

    /**
     * Whether the scheduler has asked for a checkpoint now, because the training is about to be stopped (Slurm's
     * signal before a job's time limit or its preemption, or a LOCAL trainer closing for a restart of its server). A module that checkpoints saves one at its next point
     * where it can resume exactly, even between its regular checkpoints; saving one answers the request. Contexts
     * that are never stopped this way always say false.
     */
    default boolean checkpointRequested() {
        return false;
    }

    /**
     * The latest checkpoint this training saved, in this attempt or an earlier one; empty on a first start.
     *
     * @throws java.io.UncheckedIOException if the checkpoint directory cannot be read
     */
    Optional<Checkpoint> latestCheckpoint();
}
