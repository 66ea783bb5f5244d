package dev.kiln.local;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.child.ChildJvmRunner;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.base.JobListeners;
import dev.kiln.trainer.base.JobTable;
import dev.kiln.trainer.base.SavePaths;
import dev.kiln.trainer.base.Submissions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code LOCAL} trainer: runs each training in a thread of this JVM or in a child JVM, queues jobs beyond
 * {@code max_concurrent_jobs}, and keeps finished jobs for {@code retention_duration} before purging them (and the
 * models they created). Purging costs O(jobs purged): finished jobs wait in completion order.
 */
public final class LocalModelTrainer implements ModelTrainer {
    /** The type name in configuration. */
    public static final String TYPE = "LOCAL";

    private static final Logger LOG = LoggerFactory.getLogger(LocalModelTrainer.class);

    private final String name;
    private final LocalTrainerSettings settings;
    private final Clock clock;
    private final ModuleRegistry modules;
    private final ExecutorService ownedExecutor;
    private final JobRunner runner;
    private final Dispatcher dispatcher;
    private final JobTable<LocalTrainingJob> jobs;
    private final JobListeners listeners = new JobListeners();
    /** Guarded by this trainer's monitor for writes (created in timer(), read by close()); volatile for reads. */
    private volatile ScheduledExecutorService timer; // guarded by this (written; read without it)

    private volatile boolean closed; // guarded by this (written; read without it)

    private LocalModelTrainer(Builder b) {
        this.name = b.name;
        this.settings = b.settings;
        this.clock = b.clock;
        this.modules = b.modules != null ? b.modules : ModuleRegistry.global();
        this.jobs = new JobTable<>(settings.retention());
        Executor executor = b.executor;
        if (executor == null) {
            ownedExecutor = Executors.newCachedThreadPool(daemonThreads("kiln-" + name + "-train-"));
            executor = ownedExecutor;
        } else {
            ownedExecutor = null;
        }
        if (b.runnerFactory != null) {
            this.runner = b.runnerFactory.apply(this);
        } else if (settings.useSubprocess()) {
            this.runner = new ChildJvmRunner(name, settings);
        } else {
            this.runner = new ThreadJobRunner(executor, settings.logCaptureBytes(), clock);
        }
        this.dispatcher = new Dispatcher(settings.maxConcurrentJobs(), this::launch);
    }

    /** A trainer with caikit's defaults, named {@code default}. */
    public static LocalModelTrainer create() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String type() {
        return TYPE;
    }

    /** The settings this trainer was built with. */
    public LocalTrainerSettings settings() {
        return settings;
    }

    /**
     * The durable directory of a training's checkpoints, {@code <work_dir>/<trainer>/checkpoints/<training id>}: the
     * same in thread and child-JVM mode and for every attempt, so a retry or a restarted server finds them.
     */
    public Path checkpointDirectory(String trainingId) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return settings.workDir()
                .toAbsolutePath()
                .normalize()
                .resolve(safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe)
                .resolve("checkpoints")
                .resolve(trainingId);
    }

    /** The modules this trainer loads models with. */
    public ModuleRegistry modules() {
        return modules;
    }

    @Override
    public <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options) {
        TrainOptions opts = Submissions.accept(name, closed, module, parameters, options);
        purgeExpired();
        String id = opts.externalTrainingId() != null ? opts.externalTrainingId() : TrainingIds.next();
        Path savePath = SavePaths.resolve(opts.savePath(), opts.saveWithId(), id, opts.modelName());
        savePath = savePath == null ? null : NoFollowPaths.canonical(savePath);
        boolean existed = savePath != null && Files.exists(savePath);
        LocalTrainingJob job =
                new LocalTrainingJob(id, this, module, parameters, opts, savePath, existed, clock.instant());
        jobs.claim(job);
        LOG.debug(
                "Training {} of {} submitted to trainer {}",
                id,
                module.descriptor().name(),
                name);
        listeners.fire(JobEvent.Kind.SUBMITTED, job, job.info());
        dispatcher.submit(job);
        return job;
    }

    @Override
    public Optional<ModelFuture> find(String trainingId) {
        purgeExpired();
        return jobs.get(trainingId).map(ModelFuture.class::cast);
    }

    @Override
    public List<ModelFuture> list() {
        purgeExpired();
        return jobs.newestFirst();
    }

    @Override
    public void addListener(JobListener listener) {
        listeners.add(listener);
    }

    /** How many jobs wait for a slot under {@code max_concurrent_jobs}. */
    public int queueLength() {
        return dispatcher.queued();
    }

    /** How many finished jobs the purge has examined since the trainer started: a measure of its cost. */
    long purgeExamined() {
        return jobs.purgeExamined();
    }

    /** Purges finished jobs older than the retention; O(jobs purged) as finished jobs wait in completion order. */
    void purgeExpired() {
        jobs.purgeExpired(clock.instant(), this::purge);
    }

    private void purge(LocalTrainingJob job) {
        Submissions.deleteSavedModel(job, job.savePathExisted(), settings.deleteResultsOnPurge());
        try {
            runner.purged(job.control());
        } catch (RuntimeException e) {
            LOG.warn("Could not clean up after purged training {}: {}", job.id(), e.toString());
        }
        LOG.debug("Training {} purged after retention", job.id());
    }

    // ---- callbacks from jobs and runners ----

    Instant now() {
        return clock.instant();
    }

    JobRunner runner() {
        return runner;
    }

    private void launch(LocalTrainingJob job) {
        if (closed) {
            // a slot freed while the trainer closes: the job it would go to is cancelled, never started
            job.cancel();
            dispatcher.released();
            return;
        }
        if (!job.markRunning()) {
            dispatcher.released();
            return;
        }
        listeners.fire(JobEvent.Kind.STARTED, job, job.info());
        Duration max = settings.maxDuration();
        ScheduledExecutorService t = max != null ? timer() : null;
        if (t != null) {
            job.timeout(t.schedule(() -> job.timedOut(max), max.toNanos(), TimeUnit.NANOSECONDS));
        }
        try {
            runner.start(job.control());
        } catch (RuntimeException e) {
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    /** Why {@code error} is worth another attempt of {@code job}, or empty when the job should end with it. */
    Optional<String> retryReason(LocalTrainingJob job, JobError error) {
        Integer requested = job.options().maxRetries();
        int maxRetries = requested != null ? requested : settings.retries().maxRetries();
        if (job.info().attempt() > maxRetries) {
            return Optional.empty();
        }
        return settings.retries().retryReason(error);
    }

    void retrying(LocalTrainingJob job, String reason) {
        JobInfo info = job.info();
        LOG.warn(
                "Training {} of {}: attempt {} failed ({}), will retry from its latest checkpoint: {}",
                job.id(),
                job.module().name(),
                info.attempt(),
                reason,
                info.currentAttempt().error());
        listeners.fire(JobEvent.Kind.RETRYING, job, info);
    }

    /** The worker of a failed attempt has let go: the next attempt starts after the backoff, in the same slot. */
    void retryLater(LocalTrainingJob job) {
        Duration wait = settings.retries()
                .backoff(job.info().attempt(), ThreadLocalRandom.current().nextDouble());
        ScheduledExecutorService t = timer();
        if (t == null) {
            job.cancel(); // the trainer is closing
            workerFinished(job);
            return;
        }
        LOG.info("Training {}: attempt {} in {} ms", job.id(), job.info().attempt() + 1, wait.toMillis());
        job.awaitRetry(t, wait);
    }

    /** A backoff ended: the job's next attempt starts, unless the job ended or the trainer closed meanwhile. */
    void nextAttempt(LocalTrainingJob job) {
        if (closed || !job.beginAttempt()) {
            job.cancel();
            workerFinished(job);
            return;
        }
        listeners.fire(JobEvent.Kind.STARTED, job, job.info());
        try {
            runner.start(job.control());
        } catch (RuntimeException e) {
            job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            job.workerFinished();
        }
    }

    void progressed(LocalTrainingJob job) {
        listeners.fire(JobEvent.Kind.PROGRESS, job, job.info());
    }

    void cancelled(LocalTrainingJob job) {
        if (!dispatcher.remove(job)) {
            runner.stop(job.control());
        }
    }

    void workerFinished(LocalTrainingJob job) {
        if (job.info().status().isTerminal() && !settings.checkpoints().keepAfterEnd()) {
            // a worker stopped by a cancel may have written one more checkpoint after the job ended
            try {
                job.checkpoints().delete();
            } catch (RuntimeException e) {
                LOG.warn("Could not delete the checkpoints of training {}: {}", job.id(), e.toString());
            }
        }
        dispatcher.released();
    }

    void finished(LocalTrainingJob job, JobInfo info) {
        jobs.finished(job);
        if (!settings.checkpoints().keepAfterEnd()) {
            try {
                job.checkpoints().delete();
            } catch (RuntimeException e) {
                LOG.warn("Could not delete the checkpoints of training {}: {}", job.id(), e.toString());
            }
        }
        if (info.status() == JobStatus.ERRORED) {
            LOG.warn("Training {} of {} errored: {}", job.id(), job.module().name(), info.errors());
        } else if (info.status() == JobStatus.CANCELED) {
            LOG.info("Training {} of {} cancelled", job.id(), job.module().name());
        }
        listeners.fire(JobEvent.Kind.FINISHED, job, info);
    }

    void logCompleted(LocalTrainingJob job, long trainNanos, long saveNanos) {
        if (LOG.isInfoEnabled()) {
            LOG.info(
                    "Training {} of {} completed: train {} ms, save {} ms{}",
                    job.id(),
                    job.module().name(),
                    trainNanos / 1_000_000.0,
                    saveNanos / 1_000_000.0,
                    job.savePath().map(p -> ", saved to " + p).orElse(""));
        }
    }

    /** The timeout scheduler, created on first use; null once the trainer is closed, so none is left running. */
    private ScheduledExecutorService timer() {
        ScheduledExecutorService t = timer;
        if (t == null) {
            synchronized (this) {
                t = timer;
                if (t == null && !closed) {
                    t = Executors.newSingleThreadScheduledExecutor(daemonThreads("kiln-" + name + "-timer-"));
                    timer = t;
                }
            }
        }
        return t;
    }

    @Override
    public void close() {
        ScheduledExecutorService t;
        synchronized (this) {
            // under the lock timer() creates the scheduler with, so it cannot create one this close misses
            closed = true;
            t = timer;
        }
        // queued jobs first: cancelling a running job frees its slot, which must not start a queued one
        List<LocalTrainingJob> all = jobs.all();
        all.stream().filter(job -> job.info().status() == JobStatus.QUEUED).forEach(LocalTrainingJob::cancel);
        all.stream().filter(job -> !job.info().status().isTerminal()).forEach(LocalTrainingJob::cancel);
        runner.close();
        if (ownedExecutor != null) {
            ownedExecutor.shutdownNow();
        }
        if (t != null) {
            t.shutdownNow();
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
    public static final class Builder {
        private String name = "default";
        private LocalTrainerSettings settings = LocalTrainerSettings.defaults();
        private Clock clock = Clock.systemUTC();
        private Executor executor;
        private ModuleRegistry modules;
        private Function<LocalModelTrainer, JobRunner> runnerFactory;

        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        public Builder settings(LocalTrainerSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** The clock for submission, completion and retention times (tests pass a fake one). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The executor thread-mode jobs run on; by default a cached pool of daemon threads. */
        public Builder executor(Executor value) {
            this.executor = value;
            return this;
        }

        public Builder modules(ModuleRegistry value) {
            this.modules = value;
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
