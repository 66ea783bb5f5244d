package dev.kiln.local;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainingFailedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One LOCAL training: the future callers hold. Its runner reports through {@link #control()}, a view the future
 * itself does not expose.
 */
public final class LocalTrainingJob implements ModelFuture {
    private final String id;
    private final LocalModelTrainer trainer;
    private final ModuleType<?, ?> moduleType;
    private final TrainOptions options;
    private volatile Path savePath;
    private final boolean savePathExisted;
    private final JobState state;
    private volatile Object parameters;
    private volatile Model model;
    private volatile boolean stopRequested;
    private volatile Future<?> timeout;
    /** Set when the running attempt failed and will be retried once its worker lets go. */
    private volatile boolean retryPending;
    /** True while the job waits out a backoff; whoever clears it (the timer or the job's end) acts on it. */
    private final AtomicBoolean betweenAttempts = new AtomicBoolean();

    private volatile Future<?> backoff;
    private final CheckpointStore checkpoints;
    private final RunnerJob control = new Control();

    LocalTrainingJob(
            String id,
            LocalModelTrainer trainer,
            ModuleType<?, ?> moduleType,
            Object parameters,
            TrainOptions options,
            Path savePath,
            boolean savePathExisted,
            Instant submitted) {
        this.id = id;
        this.trainer = trainer;
        this.moduleType = moduleType;
        this.parameters = parameters;
        this.options = options;
        this.savePath = savePath;
        this.savePathExisted = savePathExisted;
        this.state = new JobState(JobInfo.queued(id, submitted), this::terminated);
        this.checkpoints = trainer.settings().checkpoints().store(trainer.checkpointDirectory(id));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String trainerName() {
        return trainer.name();
    }

    @Override
    public ModuleDescriptor module() {
        return moduleType.descriptor();
    }

    /** The module type being trained. */
    ModuleType<?, ?> moduleType() {
        return moduleType;
    }

    /** The typed parameters; released once the job ends. */
    Object parameters() {
        return parameters;
    }

    @Override
    public TrainOptions options() {
        return options;
    }

    @Override
    public JobInfo info() {
        return state.get();
    }

    @Override
    public Optional<Path> savePath() {
        return Optional.ofNullable(savePath);
    }

    /**
     * Gives a job that has no save path one chosen by its runner, such as a directory of the job's own; the runner
     * saves there and {@link #load()} reads from there. Ignored when the job already has a save path.
     */
    void saveTo(Path path) {
        if (savePath == null) {
            savePath = path;
        }
    }

    /** The training's checkpoints, in a directory that outlives each attempt. */
    CheckpointStore checkpoints() {
        return checkpoints;
    }

    /** Whether the save path existed before this job; such a path is never deleted on purge. */
    boolean savePathExisted() {
        return savePathExisted;
    }

    @Override
    public void cancel() {
        if (state.finish(JobStatus.CANCELED, List.of(), trainer.now())) {
            stopRequested = true;
            trainer.cancelled(this);
        }
    }

    @Override
    public JobInfo await() throws InterruptedException {
        return state.await();
    }

    @Override
    public JobInfo await(Duration timeout) throws InterruptedException {
        return state.await(timeout);
    }

    @Override
    public Model load() throws InterruptedException {
        JobInfo info = await();
        switch (info.status()) {
            case COMPLETED -> {
                Model inMemory = model;
                if (inMemory != null) {
                    return inMemory;
                }
                Path saved = savePath;
                if (saved == null) {
                    throw KilnException.failedPrecondition("Training " + id + " completed but saved no model");
                }
                if (!Files.exists(saved)) {
                    throw KilnException.notFound("The model of training " + id + " is gone: nothing is at its save "
                            + "path " + saved + " any more");
                }
                return ModelFormat.load(saved, trainer.modules());
            }
            case CANCELED ->
                throw new KilnException(ErrorCode.FAILED_PRECONDITION, "Training " + id + " was cancelled");
            default -> throw new TrainingFailedException(id, info.errors());
        }
    }

    @Override
    public long checkpointBytes() {
        return checkpoints.sizeBytes();
    }

    @Override
    public String logs() {
        return trainer.runner().logs(control);
    }

    // ---- hooks for the trainer and runners ----

    Instant now() {
        return trainer.now();
    }

    boolean markRunning() {
        return state.start(trainer.now());
    }

    /** Whether the worker should stop: the job was cancelled or timed out. */
    boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Records a progress report. A retry resumes from a checkpoint at or before the last step reported, so its reports
     * up to that step are ones already recorded: they are dropped, and progress never goes back.
     */
    void progress(Progress progress) {
        JobInfo now = state.get();
        if (now.attempt() > 1
                && now.progress() != null
                && progress.step() <= now.progress().step()) {
            return;
        }
        state.progress(progress);
        trainer.progressed(this);
    }

    /**
     * The training finished and (if it has a save path) saved.
     *
     * @param result the model in memory, or null when it lives only at the save path
     */
    boolean succeeded(Model result, long trainNanos, long saveNanos) {
        this.model = result;
        if (state.finish(JobStatus.COMPLETED, List.of(), trainer.now())) {
            trainer.logCompleted(this, trainNanos, saveNanos);
            return true;
        }
        this.model = null;
        Path saved = savePath;
        if (saved != null && !savePathExisted) {
            NoFollowPaths.deleteTree(saved);
        }
        return false;
    }

    /**
     * The running attempt failed: the job is retried when the failure is worth it and retries remain, otherwise it
     * ends ERRORED; ignored if the job already ended (cancelled or timed out).
     */
    boolean failed(JobError error) {
        Optional<String> reason = stopRequested ? Optional.empty() : trainer.retryReason(this, error);
        if (reason.isPresent() && state.retry(error, trainer.now())) {
            retryPending = true;
            trainer.retrying(this, reason.get());
            return true;
        }
        return state.finish(JobStatus.ERRORED, List.of(error), trainer.now());
    }

    /** Begins the next attempt after a backoff; false if the job ended meanwhile. */
    boolean beginAttempt() {
        return state.beginAttempt(trainer.now());
    }

    /** The job waits {@code wait} on {@code timer} before its next attempt, which the trainer then starts. */
    void awaitRetry(ScheduledExecutorService timer, Duration wait) {
        betweenAttempts.set(true);
        backoff = timer.schedule(
                () -> {
                    if (betweenAttempts.compareAndSet(true, false)) {
                        trainer.nextAttempt(this);
                    }
                },
                wait.toNanos(),
                TimeUnit.NANOSECONDS);
    }

    /** Fails the job because it ran past {@code max_duration}, and asks the worker to stop. */
    void timedOut(Duration limit) {
        if (failed(JobError.of(
                JobError.Kind.TIMEOUT,
                "Training " + id + " exceeded max_duration of " + dev.kiln.config.DurationFormat.format(limit)))) {
            stopRequested = true;
            trainer.runner().stop(control);
        }
    }

    /**
     * The worker has let go of the job: it ran to the end, failed, or stopped after a cancel. After a failed attempt
     * that is retried, the job keeps its slot and waits for the next attempt.
     */
    void workerFinished() {
        if (retryPending) {
            retryPending = false;
            if (!state.get().status().isTerminal()) {
                trainer.retryLater(this);
                return;
            }
        }
        Future<?> t = timeout;
        if (t != null) {
            t.cancel(false);
        }
        trainer.workerFinished(this);
    }

    /** The view of this job its runner reports through. */
    RunnerJob control() {
        return control;
    }

    void timeout(Future<?> value) {
        this.timeout = value;
    }

    private void terminated(JobInfo info) {
        stopRequested = info.status() != JobStatus.COMPLETED;
        parameters = null;
        trainer.finished(this, info);
        if (betweenAttempts.compareAndSet(true, false)) {
            // cancelled or timed out during a backoff: no further attempt, and no worker will let go of the slot
            Future<?> b = backoff;
            if (b != null) {
                b.cancel(false);
            }
            workerFinished();
        }
    }

    /** The hooks a runner reports through, kept off the future so callers cannot complete or fail a job. */
    private final class Control implements RunnerJob {
        @Override
        public String id() {
            return id;
        }

        @Override
        public ModuleType<?, ?> moduleType() {
            return moduleType;
        }

        @Override
        public ModuleDescriptor module() {
            return moduleType.descriptor();
        }

        @Override
        public Object parameters() {
            return parameters;
        }

        @Override
        public JobInfo info() {
            return state.get();
        }

        @Override
        public Optional<Path> savePath() {
            return LocalTrainingJob.this.savePath();
        }

        @Override
        public void saveTo(Path path) {
            LocalTrainingJob.this.saveTo(path);
        }

        @Override
        public CheckpointStore checkpoints() {
            return checkpoints;
        }

        @Override
        public boolean isStopRequested() {
            return stopRequested;
        }

        @Override
        public Instant now() {
            return trainer.now();
        }

        @Override
        public void progress(Progress progress) {
            LocalTrainingJob.this.progress(progress);
        }

        @Override
        public boolean succeeded(Model result, long trainNanos, long saveNanos) {
            return LocalTrainingJob.this.succeeded(result, trainNanos, saveNanos);
        }

        @Override
        public boolean failed(JobError error) {
            return LocalTrainingJob.this.failed(error);
        }

        @Override
        public void workerFinished() {
            LocalTrainingJob.this.workerFinished();
        }

        @Override
        public String toString() {
            return LocalTrainingJob.this.toString();
        }
    }

    @Override
    public String toString() {
        return "LocalTrainingJob(" + id + ", " + info().status() + ")";
    }
}
