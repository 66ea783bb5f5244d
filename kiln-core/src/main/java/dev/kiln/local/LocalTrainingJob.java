package dev.kiln.local;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.base.AbstractTrainingJob;
import dev.kiln.trainer.base.AcceptedTraining;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One LOCAL training: the future callers hold. Its runner reports through {@link #control()}, a view the future
 * itself does not expose.
 */
public final class LocalTrainingJob extends AbstractTrainingJob<LocalTrainingJob> {
    private static final VarHandle CHECKPOINTS;
    private static final VarHandle BETWEEN_ATTEMPTS;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            CHECKPOINTS = lookup.findVarHandle(LocalTrainingJob.class, "checkpoints", CheckpointStore.class);
            BETWEEN_ATTEMPTS = lookup.findVarHandle(LocalTrainingJob.class, "betweenAttempts", boolean.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final List<JobError> NO_ERRORS = List.of();

    private final ModuleType<?, ?> moduleType;
    private volatile Object parameters;
    private volatile Model model;
    private volatile boolean stopRequested;
    private volatile Cancellable timeout;
    /** Set when the running attempt failed and will be retried once its worker lets go. */
    private volatile boolean retryPending;
    /** True while the job waits out a backoff; whoever clears it (the timer or the job's end) acts on it. */
    private volatile boolean betweenAttempts;
    /** Set when the trainer asks for a last checkpoint before a restart: later progress is not recorded. */
    private volatile boolean progressHeld;

    private volatile Cancellable backoff;
    /**
     * The training's checkpoints, made when first asked for: until then nothing in this process can have written
     * any, and a training under an id this trainer generated has none from elsewhere, so ending it touches no file.
     */
    private volatile CheckpointStore checkpoints;
    /** What the runner keeps for the current attempt ({@link RunnerJob#attach}). */
    private volatile Object attachment;
    /** Reports at or below this step are not repeated: an earlier attempt of a resumed training made them. */
    private final long resumedStep;

    LocalTrainingJob(LocalModelTrainer trainer, AcceptedTraining training) {
        super(
                trainer,
                training.trainingId(),
                training.module().descriptor(),
                training.options(),
                training.savePath(),
                training.savePathExisted(),
                training.submitted(),
                training.resumedProgress());
        this.moduleType = training.module();
        this.parameters = training.parameters();
        if (training.options().externalTrainingId() != null) {
            checkpoints(); // an earlier training under this id, or an earlier process, may have left some
        }
        Progress resumed = training.resumedProgress();
        this.resumedStep = resumed == null ? Long.MIN_VALUE : resumed.step();
    }

    /** The trainer that accepted this job (kept by the base class, not twice). */
    private LocalModelTrainer localTrainer() {
        return (LocalModelTrainer) trainer;
    }

    /** The module type being trained. */
    ModuleType<?, ?> moduleType() {
        return moduleType;
    }

    /** The typed parameters; released once the job ends. */
    Object parameters() {
        return parameters;
    }

    /** The training's checkpoints, in a directory that outlives each attempt. */
    CheckpointStore checkpoints() {
        CheckpointStore store = checkpoints;
        if (store != null) {
            return store;
        }
        CheckpointStore made =
                localTrainer().settings().checkpoints().store(localTrainer().checkpointDirectory(id()));
        CheckpointStore found = (CheckpointStore) CHECKPOINTS.compareAndExchange(this, null, made);
        return found != null ? found : made;
    }

    @Override
    protected void cancelled() {
        stopRequested = true;
        localTrainer().cancelled(this);
    }

    /** A caller that waits for this job runs it itself if its runner started it and no worker has begun it. */
    @Override
    protected void runHere() {
        // an ended job has no claim left on it (its attempt let go of it, or the stop that ended it took it)
        localTrainer().runner().runHere(control());
    }

    @Override
    protected Model modelInMemory() {
        return model;
    }

    @Override
    public long checkpointBytes() {
        CheckpointStore store = checkpoints;
        return store == null ? 0 : store.sizeBytes();
    }

    @Override
    public String logs() {
        return localTrainer().runner().logs(control());
    }

    // ---- hooks for the trainer and runners ----

    /** Moves QUEUED to RUNNING, started at {@code now}; false if the job was no longer QUEUED. */
    boolean markRunning(Instant now) {
        return moveToRunning(now);
    }

    /** Whether the worker should stop: the job was cancelled or timed out. */
    boolean isStopRequested() {
        return stopRequested;
    }

    /**
     * Records no more progress from now on: the trainer is about to stop this training for a restart and has asked it
     * for a last checkpoint, which it takes at or after the last step recorded. What it reports after the request is
     * not recorded, so the progress the restarted trainer finds is never ahead of the checkpoint it resumes from.
     */
    void holdProgress() {
        progressHeld = true;
    }

    /**
     * Records a progress report, unless {@link #holdProgress held}. Reports at or below a step already recorded are
     * dropped: a resumed training's earlier attempt made them, or a retry resumed from a checkpoint at or before the
     * last step reported. Steps continue across attempts, old points are not replayed, and progress never goes back.
     */
    void progress(Progress progress) {
        if (progressHeld) {
            return;
        }
        JobInfo now = info();
        if (progress.step() <= resumedStep
                || (now.attempt() > 1
                        && now.progress() != null
                        && progress.step() <= now.progress().step())) {
            return;
        }
        recordProgress(progress);
    }

    /**
     * The training finished and (if it has a save path) saved.
     *
     * @param result the model in memory, or null when it lives only at the save path
     */
    boolean succeeded(Model result, long trainNanos, long saveNanos) {
        this.model = result;
        if (moveToTerminal(JobStatus.COMPLETED, NO_ERRORS)) {
            localTrainer().logCompleted(this, trainNanos, saveNanos);
            return true;
        }
        this.model = null;
        Optional<Path> saved = savePath();
        if (saved.isPresent() && !savePathExisted()) {
            NoFollowPaths.deleteTree(saved.get());
        }
        return false;
    }

    /**
     * The running attempt failed: the job is retried when the failure is worth it and retries remain, otherwise it
     * ends ERRORED; ignored if the job already ended (cancelled or timed out).
     */
    boolean failed(JobError error) {
        boolean retry = !stopRequested && localTrainer().retries(this, error);
        if (retry && moveToRetry(error)) {
            retryPending = true;
            return true;
        }
        return moveToTerminal(JobStatus.ERRORED, List.of(error));
    }

    /** Begins the next attempt after a backoff; false if the job ended meanwhile. */
    boolean beginAttempt() {
        return moveToNextAttempt();
    }

    /** The job waits {@code wait} on {@code scheduler} before its next attempt, which the trainer then starts. */
    void awaitRetry(TrainerScheduler scheduler, Duration wait) {
        betweenAttempts = true;
        backoff = scheduler.schedule(
                () -> {
                    if (BETWEEN_ATTEMPTS.compareAndSet(this, true, false)) {
                        localTrainer().nextAttempt(this);
                    }
                },
                wait);
    }

    /** Fails the job because it ran past {@code max_duration}, and asks the worker to stop. */
    void timedOut(Duration limit) {
        if (failed(JobError.of(
                JobError.Kind.TIMEOUT,
                "Training " + id() + " exceeded max_duration of " + dev.kiln.config.DurationFormat.format(limit)))) {
            stopRequested = true;
            localTrainer().runner().stop(control());
        }
    }

    /**
     * The worker has let go of the job: it ran to the end, failed, or stopped after a cancel. After a failed attempt
     * that is retried, the job keeps its slot and waits for the next attempt.
     */
    void workerFinished() {
        if (retryPending) {
            retryPending = false;
            if (!status().isTerminal()) {
                localTrainer().retryLater(this);
                return;
            }
        }
        Cancellable t = timeout;
        if (t != null) {
            t.cancel();
        }
        localTrainer().workerFinished(this);
    }

    /**
     * The view of this job its runner reports through. Views of one job are equal, so a runner may key a map by the
     * view; none is kept on the job, which a finished job retained for days would otherwise carry.
     */
    RunnerJob control() {
        return new Control();
    }

    void timeout(Cancellable value) {
        this.timeout = value;
    }

    @Override
    protected void ended(JobInfo info) {
        stopRequested = info.status() != JobStatus.COMPLETED;
        parameters = null;
        // read first: almost every job ends outside a backoff, and the read is cheaper than a compare-and-set
        if (betweenAttempts && BETWEEN_ATTEMPTS.compareAndSet(this, true, false)) {
            // cancelled or timed out during a backoff: no further attempt, and no worker will let go of the slot
            Cancellable b = backoff;
            if (b != null) {
                b.cancel();
            }
            localTrainer().backoffAbandoned(this);
        }
    }

    /** Only once its store is made: until then nothing can have written a checkpoint of this training. */
    @Override
    protected boolean mayHaveCheckpoints() {
        return checkpoints != null;
    }

    @Override
    protected void deleteCheckpoints() {
        CheckpointStore store = checkpoints;
        if (store != null) {
            store.delete();
        }
    }

    /** The hooks a runner reports through, kept off the future so callers cannot complete or fail a job. */
    private final class Control implements RunnerJob {
        @Override
        public String id() {
            return LocalTrainingJob.this.id();
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
            return LocalTrainingJob.this.info();
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
            return LocalTrainingJob.this.checkpoints();
        }

        @Override
        public boolean isStopRequested() {
            return stopRequested;
        }

        @Override
        public Instant now() {
            return LocalTrainingJob.this.now();
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
        public Object attachment() {
            return attachment;
        }

        @Override
        public void attach(Object value) {
            attachment = value;
        }

        private LocalTrainingJob owner() {
            return LocalTrainingJob.this;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Control view && view.owner() == LocalTrainingJob.this;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(LocalTrainingJob.this);
        }

        @Override
        public String toString() {
            return LocalTrainingJob.this.toString();
        }
    }

    @Override
    public String toString() {
        return "LocalTrainingJob(" + id() + ", " + status() + ")";
    }
}
