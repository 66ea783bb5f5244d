package dev.kiln.local;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.child.ChildJvmOptions;
import dev.kiln.local.child.ChildJvmRunner;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.module.ModuleType;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.Resumption;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.base.AbstractModelTrainer;
import dev.kiln.trainer.base.AcceptedTraining;
import dev.kiln.trainer.base.TrainerBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code LOCAL} trainer: runs each training in a thread of this JVM or in a child JVM, queues jobs beyond
 * {@code max_concurrent_jobs}, and keeps finished jobs for {@code retention_duration} before purging them (and the
 * models they created). Purging costs O(jobs purged): finished jobs wait in completion order.
 */
public final class LocalModelTrainer extends AbstractModelTrainer<LocalTrainingJob, LocalTrainerSettings> {
    /** The type name in configuration. */
    public static final String TYPE = "LOCAL";

    private static final Logger LOG = LoggerFactory.getLogger(LocalModelTrainer.class);

    private final ExecutorService ownedExecutor;
    private final JobRunner runner;
    private final Dispatcher dispatcher;
    /** {@code max_duration}, or null: read by every job's start, so kept here rather than asked of the settings. */
    private final Duration maxDuration;

    private final Path checkpointsRoot;

    private LocalModelTrainer(Builder b) {
        super(b);
        this.checkpointsRoot = checkpointsRoot(settings().workDir(), name());
        this.maxDuration = settings().maxDuration();
        Executor executor = b.executor;
        if (executor == null) {
            ownedExecutor = Executors.newCachedThreadPool(daemonThreads("kiln-" + name() + "-train-"));
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        if (b.runnerFactory != null) {
            this.runner = b.runnerFactory.apply(this);
        } else if (settings().useSubprocess()) {
            this.runner = new ChildJvmRunner(name(), settings(), scheduler());
        } else {
            this.runner = new ThreadJobRunner(executor, settings().logCaptureBytes(), clock());
        }
        this.dispatcher = new Dispatcher(settings().maxConcurrentJobs(), this::launch);
    }

    /** A trainer with caikit's defaults, named {@code default}. */
    public static LocalModelTrainer create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * The options every child JVM of a subprocess trainer starts with before its {@code jvm_options}, which replace a
     * default of the same name; a {@code spawn} worker on one or two processors also gets one JIT compiler thread.
     */
    public static List<String> defaultChildJvmOptions() {
        return ChildJvmOptions.defaultJvmOptions();
    }

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * The durable directory of a training's checkpoints, {@code <work_dir>/<trainer>/checkpoints/<training id>}: the
     * same in thread and child-JVM mode and for every attempt, so a retry or a restarted server finds them.
     */
    public Path checkpointDirectory(String trainingId) {
        return checkpointsRoot.resolve(trainingId);
    }

    /** {@code <work_dir>/<trainer>/checkpoints}, with the trainer's name made safe as a file name. */
    private static Path checkpointsRoot(Path workDir, String trainerName) {
        String safe = trainerName.replaceAll("[^A-Za-z0-9._-]", "_");
        return workDir.toAbsolutePath()
                .normalize()
                .resolve(safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe)
                .resolve("checkpoints");
    }

    @Override
    public boolean resumesInterrupted() {
        return settings().checkpoints().resumeInterrupted();
    }

    /**
     * {@inheritDoc} Its checkpoints are found again from its id in {@link #checkpointDirectory}; a child JVM of the
     * earlier process that still runs it is waited for (it stops once it notices its parent is gone), so two copies
     * never train at once.
     */
    @Override
    public <P> ModelFuture resume(ModuleType<P, ?> module, P parameters, TrainOptions options, Resumption resumption) {
        return submitResumed(module, parameters, options, resumption);
    }

    @Override
    protected LocalTrainingJob newJob(AcceptedTraining training) {
        return new LocalTrainingJob(this, training);
    }

    @Override
    protected void enqueue(LocalTrainingJob job, Instant now) {
        dispatcher.submit(job, now);
    }

    /** How many jobs wait for a slot under {@code max_concurrent_jobs}. */
    public int queueLength() {
        return dispatcher.queued();
    }

    /** How many finished jobs the purge has examined since the trainer started: a measure of its cost. */
    long purgeExamined() {
        return jobs().purgeExamined();
    }

    @Override
    protected void purged(LocalTrainingJob job) {
        try {
            runner.purged(job.control());
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up after purged training {}: {}", job.id(), e.toString());
        }
    }

    /**
     * Running trainings that checkpoint are asked for one more (a child JVM by SIGUSR1, a thread through its context)
     * and given up to {@code checkpoint_grace} to save it.
     */
    @Override
    protected void checkpointBeforeRestart(List<LocalTrainingJob> running) {
        RestartCheckpoint.take(running, runner, settings().checkpoints().checkpointGrace());
    }

    @Override
    protected boolean keepsCheckpointsAfterEnd() {
        return settings().checkpoints().keepAfterEnd();
    }

    // ---- callbacks from jobs and runners ----

    JobRunner runner() {
        return runner;
    }

    /** @param now the start time: the submission's clock reading, or null to read the clock */
    private void launch(LocalTrainingJob job, Instant now) {
        if (isClosed()) {
            // a slot freed while the trainer closes: the job it would go to is cancelled, never started
            job.cancel();
            dispatcher.released();
            return;
        }
        if (!job.markRunning(now != null ? now : now())) {
            dispatcher.released();
            return;
        }
        Duration max = maxDuration;
        if (max != null) {
            job.timeout(scheduler().schedule(() -> job.timedOut(max), max));
        }
        try {
            runner.start(job.control());
        } catch (RuntimeException e) {
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    /** Whether {@code error} is worth another attempt of {@code job}, and retries remain. */
    boolean retries(LocalTrainingJob job, JobError error) {
        Integer requested = job.options().maxRetries();
        int maxRetries = requested != null ? requested : settings().retries().maxRetries();
        return job.info().attempt() <= maxRetries
                && settings().retries().retryReason(error).isPresent();
    }

    /** The worker of a failed attempt has let go: the next attempt starts after the backoff, in the same slot. */
    void retryLater(LocalTrainingJob job) {
        Duration wait = settings()
                .retries()
                .backoff(job.info().attempt(), ThreadLocalRandom.current().nextDouble());
        if (isClosed()) {
            job.cancel(); // the trainer is closing
            workerFinished(job);
            return;
        }
        LOG.info("Training {}: attempt {} in {} ms", job.id(), job.info().attempt() + 1, wait.toMillis());
        job.awaitRetry(scheduler(), wait);
    }

    /** A backoff ended: the job's next attempt starts, unless the job ended or the trainer closed meanwhile. */
    void nextAttempt(LocalTrainingJob job) {
        if (isClosed() || !job.beginAttempt()) {
            job.cancel();
            workerFinished(job);
            return;
        }
        try {
            runner.start(job.control());
        } catch (RuntimeException e) {
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    /** A job ended during its backoff: no worker holds it, so its slot is freed here. */
    void backoffAbandoned(LocalTrainingJob job) {
        workerFinished(job);
    }

    /**
     * A completed job's worker lets go of it next (a child JVM as it exits), and under an id this trainer generated no
     * new training can take its checkpoint directory meanwhile: the directory a child's worker claimed is deleted
     * then, off the path of the callers its end wakes.
     */
    @Override
    protected boolean checkpointsGoOnRelease(LocalTrainingJob job, JobInfo info) {
        return info.status() == JobStatus.COMPLETED && job.options().externalTrainingId() == null;
    }

    void cancelled(LocalTrainingJob job) {
        if (!dispatcher.remove(job)) {
            runner.stop(job.control());
        }
    }

    void workerFinished(LocalTrainingJob job) {
        released(job);
        dispatcher.released();
    }

    void logCompleted(LocalTrainingJob job, long trainNanos, long saveNanos) {
        if (!LOG.isDebugEnabled()) {
            return;
        }
        LOG.debug(
                "Training {} of {} took {} ms to train and {} ms to save",
                job.id(),
                job.module().name(),
                trainNanos / 1_000_000.0,
                saveNanos / 1_000_000.0);
    }

    @Override
    protected void shutDown() {
        runner.close();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
    }

    static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /** Builds a LOCAL trainer; everything has a default. */
    public static final class Builder extends TrainerBuilder<Builder, LocalTrainerSettings> {
        private Executor executor;
        private Function<LocalModelTrainer, JobRunner> runnerFactory;

        private Builder() {
            super("default", LocalTrainerSettings.defaults());
        }

        /** The executor thread-mode jobs run on; by default a cached pool of daemon threads. */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        /** Overrides how jobs are run (thread or child JVM), for embedding and tests. */
        public Builder runner(Function<LocalModelTrainer, JobRunner> value) {
            this.runnerFactory = value;
            return this;
        }

        public LocalModelTrainer build() {
            return new LocalModelTrainer(this);
        }
    }
}
