package dev.kiln.trainer;

import dev.kiln.job.JobInfo;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/** A training that runs in the background: ask for its state, wait for it, cancel it, load its model. */
public interface ModelFuture {
    /** The training id. */
    String id();

    /** The name of the trainer instance that runs it. */
    String trainerName();

    /** The module being trained. */
    ModuleDescriptor module();

    /** The options it was started with. */
    TrainOptions options();

    /** A snapshot of the job's state; never blocks. */
    JobInfo info();

    /** Cancels the training: the status becomes CANCELED at once; cancelling a finished job changes nothing. */
    void cancel();

    /**
     * Waits for the training to reach a terminal state.
     *
     * @return the final snapshot
     * @throws InterruptedException if the waiting thread is interrupted
     */
    JobInfo await() throws InterruptedException;

    /**
     * Waits at most {@code timeout} for the training to reach a terminal state.
     *
     * @return the snapshot when the wait ended, terminal or not
     * @throws InterruptedException if the waiting thread is interrupted
     */
    JobInfo await(Duration timeout) throws InterruptedException;

    /**
     * Waits for the training, then returns its model.
     *
     * @throws dev.kiln.error.KilnException with the training's error if it failed, FAILED_PRECONDITION if it was
     *     cancelled, NOT_FOUND if the saved model is gone
     * @throws InterruptedException if the waiting thread is interrupted
     */
    Model load() throws InterruptedException;

    /** Where the model is (or will be) saved, once the save path is known. */
    Optional<Path> savePath();

    /** The bytes the training's checkpoints take on disk now; 0 when it has none (or they were deleted at its end). */
    default long checkpointBytes() {
        return 0;
    }

    /** The training's captured output (child processes only); empty for thread mode. */
    default String logs() {
        return "";
    }
}
