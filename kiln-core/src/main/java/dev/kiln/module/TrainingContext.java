package dev.kiln.module;

import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;

/** What a module sees of the job it is training in: cancellation, progress, a logger and a scratch directory. */
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
}
