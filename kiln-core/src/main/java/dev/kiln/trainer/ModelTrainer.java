package dev.kiln.trainer;

import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleType;
import java.util.List;
import java.util.Optional;

/** Starts trainings and keeps track of them. Implementations are created by a {@link TrainerProvider}. */
public interface ModelTrainer extends AutoCloseable {
    /** The instance name from the config, such as {@code default}. */
    String name();

    /** The type, such as {@code LOCAL} or {@code SLURM}. */
    String type();

    /**
     * Starts training a module and returns at once.
     *
     * @throws KilnException INVALID_ARGUMENT for bad parameters, CONFLICT if {@code externalTrainingId} names a
     *     training that is still running
     */
    <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options);

    /**
     * Whether trainings this trainer ran when its process died should be submitted again with {@link #resume}
     * ({@code resume_interrupted}); false for a trainer that cannot resume.
     */
    default boolean resumesInterrupted() {
        return false;
    }

    /**
     * Submits again a training that an earlier process of this trainer ran and did not finish; it keeps the
     * resumption's id, submission time and progress, and its module finds the checkpoints of the earlier attempt.
     *
     * @throws KilnException FAILED_PRECONDITION if this trainer cannot resume trainings; otherwise as {@link #train}
     */
    default <P> ModelFuture resume(ModuleType<P, ?> module, P parameters, TrainOptions options, Resumption resumption) {
        throw KilnException.failedPrecondition(
                "Trainer " + name() + " of type " + type() + " cannot resume training " + resumption.trainingId());
    }

    /** The training with this id, if this trainer has it. */
    Optional<ModelFuture> find(String trainingId);

    /**
     * The training with this id.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    default ModelFuture getModelFuture(String trainingId) {
        return find(trainingId)
                .orElseThrow(
                        () -> KilnException.notFound("Training " + trainingId + " was not found by trainer " + name()));
    }

    /** Every training this trainer still retains, newest first. */
    List<ModelFuture> list();

    /** Receives every job event from now on. */
    void addListener(JobListener listener);

    /**
     * Whether this trainer's jobs keep running after this process ends, so that a new trainer with the same
     * configuration finds them again (as a batch scheduler's jobs do); false for jobs that die with the process.
     */
    default boolean jobsOutliveProcess() {
        return false;
    }

    /**
     * Stops the trainer and releases its resources: running trainings are cancelled, except by a trainer whose
     * {@linkplain #jobsOutliveProcess() jobs outlive the process}, which leaves them running.
     */
    @Override
    void close();

    /**
     * Stops the trainer for a restart of its process: as {@link #close()}, but a trainer that {@linkplain
     * #resumesInterrupted() resumes interrupted trainings} leaves its unfinished ones resumable. Running trainings
     * that have saved a checkpoint are first asked for one more and given a bounded time to write it; then every
     * unfinished training is stopped, ends CANCELED in this process, and keeps its checkpoints, so that the next
     * process {@linkplain #resume resumes} it from them. By default the same as {@link #close()}.
     */
    default void closeForRestart() {
        close();
    }
}
