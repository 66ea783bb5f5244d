package dev.kiln.trainer.base;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What every trainer's job is, whatever runs it: its identity, its state machine (QUEUED → RUNNING → a terminal
 * state, each change checked by a {@link JobState}), waiting for it, and loading its model. A subclass
 * adds how the job is stopped and what it keeps besides (runner hooks, a record on disk).
 *
 * @param <J> the subclass itself, so that the trainer it reports to receives its own job type
 */
public abstract class AbstractTrainingJob<J extends AbstractTrainingJob<J>> implements ModelFuture {
    private final String id;
    /** The trainer that accepted this job: a field, not a method, as subclasses reach it on every job's path. */
    protected final AbstractModelTrainer<J, ?> trainer;

    private final ModuleDescriptor module;
    private final TrainOptions options;
    private final boolean savePathExisted;
    private final JobState state;
    private volatile Path savePath;

    /**
     * @param initial the first snapshot: QUEUED for a new training, or what its record says for one found again
     * @param savePathExisted whether something was at the save path before the training; it is never deleted then
     */
    protected AbstractTrainingJob(
            AbstractModelTrainer<J, ?> trainer,
            String id,
            ModuleDescriptor module,
            TrainOptions options,
            Path savePath,
            boolean savePathExisted,
            JobInfo initial) {
        this(trainer, id, module, options, savePath, savePathExisted, new JobState(initial, null));
    }

    /**
     * A training QUEUED since {@code submitted}: a new one, whose first snapshot is built only when asked for, or a
     * resumed one with the progress its earlier attempts reached.
     *
     * @param savePathExisted whether something was at the save path before the training; it is never deleted then
     * @param resumedProgress the progress of the earlier attempts of a resumed training, or null for a new one
     */
    protected AbstractTrainingJob(
            AbstractModelTrainer<J, ?> trainer,
            String id,
            ModuleDescriptor module,
            TrainOptions options,
            Path savePath,
            boolean savePathExisted,
            Instant submitted,
            Progress resumedProgress) {
        this(
                trainer,
                id,
                module,
                options,
                savePath,
                savePathExisted,
                resumedProgress == null
                        ? new JobState(id, submitted)
                        : new JobState(JobInfo.queued(id, submitted).withProgress(resumedProgress), null));
    }

    /** The end callback goes with each finish: the state keeps none per job. */
    private AbstractTrainingJob(
            AbstractModelTrainer<J, ?> trainer,
            String id,
            ModuleDescriptor module,
            TrainOptions options,
            Path savePath,
            boolean savePathExisted,
            JobState state) {
        this.trainer = trainer;
        this.id = id;
        this.module = module;
        this.options = options;
        this.savePath = savePath;
        this.savePathExisted = savePathExisted;
        this.state = state;
    }

    @Override
    public final String id() {
        return id;
    }

    @Override
    public final String trainerName() {
        return trainer.name();
    }

    @Override
    public final ModuleDescriptor module() {
        return module;
    }

    @Override
    public final TrainOptions options() {
        return options;
    }

    @Override
    public final JobInfo info() {
        return state.get();
    }

    /** The job's current status, as {@code info().status()} answers it, without building a snapshot. */
    public final JobStatus status() {
        return state.status();
    }

    @Override
    public final Optional<Path> savePath() {
        return Optional.ofNullable(savePath);
    }

    /** Whether the save path existed before this job; such a path is never deleted. */
    public final boolean savePathExisted() {
        return savePathExisted;
    }

    /** Cancels the training: CANCELED at once, then {@link #cancelled()} stops whatever runs it. */
    @Override
    public final void cancel() {
        if (moveToTerminal(JobStatus.CANCELED, List.of())) {
            cancelled();
        }
    }

    /**
     * {@inheritDoc} A job that has been started but that nothing has begun to run yet may be run by the calling
     * thread itself (see {@link #runHere()}).
     */
    @Override
    public final JobInfo await() throws InterruptedException {
        runHere();
        return state.await();
    }

    @Override
    public final JobInfo await(Duration timeout) throws InterruptedException {
        return state.await(timeout);
    }

    /**
     * Waits for the training, then returns its model: the one kept in memory, or else the one at {@link #modelPath}.
     *
     * @throws KilnException FAILED_PRECONDITION if it was cancelled or saved no model, NOT_FOUND if its saved model is
     *     gone; {@link TrainingFailedException} with its errors if it failed
     * @throws InterruptedException if the waiting thread is interrupted
     */
    @Override
    public final Model load() throws InterruptedException {
        JobInfo info = await();
        switch (info.status()) {
            case COMPLETED -> {
                Model inMemory = modelInMemory();
                if (inMemory != null) {
                    return inMemory;
                }
                Path saved = modelPath();
                if (saved == null) {
                    throw KilnException.failedPrecondition("Training " + id + " completed but saved no model");
                }
                if (!Files.exists(saved)) {
                    throw KilnException.notFound("The model of training " + id + " is gone: nothing is at its save "
                            + "path " + saved + " any more");
                }
                return ModelFormat.load(saved, trainer.modules());
            }
            case CANCELED -> throw KilnException.failedPrecondition("Training " + id + " was cancelled");
            default -> throw new TrainingFailedException(id, info.errors());
        }
    }

    // ---- for subclasses ----

    /** The trainer's clock. */
    protected final Instant now() {
        return trainer.now();
    }

    /**
     * Gives a job that has no save path one chosen by what runs it, such as a directory of the job's own; the model
     * is saved there and {@link #load()} reads it from there. Ignored when the job already has a save path.
     */
    protected final void saveTo(Path path) {
        if (savePath == null) {
            savePath = path;
        }
    }

    /** Where {@link #load()} finds the saved model: the save path unless a subclass knows better; null for none. */
    protected Path modelPath() {
        return savePath;
    }

    /** The model the training left in memory, or null when it lives only at {@link #modelPath()}. */
    protected Model modelInMemory() {
        return null;
    }

    /** Moves QUEUED to RUNNING and tells the trainer's listeners; false if the job was no longer QUEUED. */
    protected final boolean moveToRunning() {
        return moveToRunning(now());
    }

    /**
     * Moves QUEUED to RUNNING, started at {@code now} (a clock reading the caller already has), and tells the
     * trainer's listeners; false if the job was no longer QUEUED.
     */
    protected final boolean moveToRunning(Instant now) {
        if (!state.start(now)) {
            return false;
        }
        running();
        trainer.started(this);
        return true;
    }

    /**
     * Ends the running attempt with {@code error} while the job stays RUNNING for another, and tells the trainer's
     * listeners (RETRYING); false (and no change) if the job is not running an attempt.
     */
    protected final boolean moveToRetry(JobError error) {
        if (!state.retry(error, now())) {
            return false;
        }
        trainer.retrying(this);
        return true;
    }

    /**
     * Begins the next attempt of a job between attempts and tells the trainer's listeners (STARTED); false if the job
     * ended meanwhile.
     */
    protected final boolean moveToNextAttempt() {
        if (!state.beginAttempt(now())) {
            return false;
        }
        trainer.started(this);
        return true;
    }

    /** Records a progress report and tells the trainer's listeners; ignored once the job has ended. */
    protected final void recordProgress(Progress progress) {
        if (state.progress(progress)) {
            trainer.progressed(this);
        }
    }

    /** Moves to a terminal state; false (and no change) if the job had already ended. */
    protected final boolean moveToTerminal(JobStatus terminal, List<JobError> errors) {
        JobInfo ended = state.end(terminal, errors, now());
        if (ended == null) {
            return false;
        }
        try {
            ended(ended);
            @SuppressWarnings("unchecked") // J is this class's own type, by its contract
            J job = (J) this;
            trainer.finished(job, ended);
        } finally {
            state.reportEnd(ended);
        }
        return true;
    }

    /** How logs name the job: {@code Training <id>}, and where it runs if a subclass says. */
    protected String logName() {
        return "Training " + id;
    }

    /**
     * Called by an untimed {@link #await()} before it waits: a subclass may run the job on the calling thread if
     * nothing has begun to run it yet, so the caller needs no wake-up when it ends. A timed await never calls this:
     * it could not promise to return in time.
     */
    protected void runHere() {}

    /** Called once the job is RUNNING, before listeners hear of it. */
    protected void running() {}

    /** Called once by the thread that cancelled the job: stop what runs it. */
    protected abstract void cancelled();

    /** Called once the job has ended, by the thread that ended it, before its trainer and waiting callers hear. */
    protected void ended(JobInfo info) {}

    /**
     * Whether the training may have checkpoints to delete when it ends; by default it may. A job that knows it made
     * none (and that none were left under its id) answers false, and its end then touches no checkpoint.
     */
    protected boolean mayHaveCheckpoints() {
        return true;
    }

    /** Deletes the training's checkpoints; it has ended and keeps none. */
    protected abstract void deleteCheckpoints();
}
