package dev.kiln.trainer.base;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.Resumption;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every trainer does, whatever runs its jobs: accepting a training (checks, training id, save path), the table
 * of its jobs with their listeners, purging finished jobs after {@code retention_duration}, and closing. A subclass
 * says how a job is created, handed to what runs it, and stopped; a new trainer type is that and nothing more.
 *
 * @param <J> the trainer's own job type
 * @param <S> the trainer's settings
 */
public abstract class AbstractModelTrainer<J extends AbstractTrainingJob<J>, S extends RetentionSettings>
        implements ModelTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(AbstractModelTrainer.class);

    private final String name;
    private final S settings;
    private final Clock clock;
    private final ModuleRegistry modules;
    private final boolean deleteResultsOnPurge;
    private final JobTable<J> jobs;
    private final JobListeners listeners = new JobListeners();
    private final Consumer<J> purge = this::purge;
    private final TrainerScheduler scheduler;
    private final boolean ownsScheduler;
    private volatile boolean closed; // guarded by this (written; read without it)
    /** Set when the trainer closes for a restart: trainings it stops then keep their checkpoints. */
    private volatile boolean restarting;

    /**
     * @param builder the settings, name, clock, modules and scheduler
     * @throws NullPointerException if the builder was given no settings and has no default
     */
    protected AbstractModelTrainer(TrainerBuilder<?, S> builder) {
        this.settings = Objects.requireNonNull(builder.settings, "settings");
        this.name = builder.name;
        this.clock = builder.clock;
        this.modules = builder.modules != null ? builder.modules : ModuleRegistry.global();
        this.ownsScheduler = builder.scheduler == null;
        this.scheduler = ownsScheduler ? TrainerScheduler.daemon("kiln-" + name + "-timer") : builder.scheduler;
        this.deleteResultsOnPurge = settings.deleteResultsOnPurge();
        this.jobs = new JobTable<>(settings.retention());
    }

    /** The settings this trainer was built with. */
    public final S settings() {
        return settings;
    }

    @Override
    public final String name() {
        return name;
    }

    /** The modules this trainer loads models with. */
    public final ModuleRegistry modules() {
        return modules;
    }

    /**
     * Checks the training, gives it an id and a save path, puts its job in the table, hands it to what runs it, and
     * returns at once.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT for missing or refused parameters or a bad model name or
     *     external id, CONFLICT if the external id names a training that is still running, FAILED_PRECONDITION if the
     *     trainer is closed, or what the subclass's {@link #accept} throws
     */
    @Override
    public final <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options) {
        return submit(module, parameters, options, null);
    }

    /**
     * Accepts a training an earlier process of this trainer did not finish, as {@link #train} does but under the
     * resumption's id, first submission time and save-path history, with its progress; for a subclass that
     * implements {@link #resume}.
     *
     * @throws dev.kiln.error.KilnException as {@link #train}
     */
    protected final <P> ModelFuture submitResumed(
            ModuleType<P, ?> module, P parameters, TrainOptions options, Resumption resumption) {
        Objects.requireNonNull(resumption, "resumption");
        TrainOptions opts =
                (options == null ? TrainOptions.none() : options).withExternalTrainingId(resumption.trainingId());
        return submit(module, parameters, opts, resumption);
    }

    private <P> ModelFuture submit(ModuleType<P, ?> module, P parameters, TrainOptions options, Resumption resumption) {
        TrainOptions opts = Submissions.accept(name, closed, module, parameters, options);
        checkOptions(opts);
        Instant now = clock.instant(); // one reading serves the purge and the submission time
        jobs.purgeExpired(now, purge);
        String id = opts.externalTrainingId() != null ? opts.externalTrainingId() : TrainingIds.next();
        Path requested = opts.savePath();
        Path savePath = requested == null
                ? null
                : NoFollowPaths.canonical(SavePaths.resolve(requested, opts.saveWithId(), id, opts.modelName()));
        boolean existed =
                resumption != null ? resumption.savePathExisted() : savePath != null && Files.exists(savePath);
        AcceptedTraining training = new AcceptedTraining(
                id,
                module,
                parameters,
                opts,
                savePath,
                existed,
                resumption != null ? resumption.submitted() : now,
                resumption != null ? resumption.progress() : null);
        J job = newJob(training);
        J replaced = jobs.claim(job);
        try {
            accept(job, replaced, training);
        } catch (RuntimeException e) {
            jobs.unclaim(job, replaced);
            throw e;
        }
        if (LOG.isDebugEnabled()) {
            LOG.debug(
                    "Training {} of {} submitted to trainer {}",
                    id,
                    module.descriptor().name(),
                    name);
        }
        listeners.fire(JobEvent.Kind.SUBMITTED, job);
        enqueue(job, now);
        return job;
    }

    @Override
    public final Optional<ModelFuture> find(String trainingId) {
        purgeExpired();
        return jobs.get(trainingId).map(ModelFuture.class::cast);
    }

    @Override
    public final List<ModelFuture> list() {
        purgeExpired();
        return jobs.newestFirst();
    }

    @Override
    public final void addListener(JobListener listener) {
        listeners.add(listener);
    }

    /**
     * Stops the trainer: no training is accepted any more; unless its {@linkplain #jobsOutliveProcess() jobs outlive
     * the process}, queued and running jobs are cancelled (queued ones first, so that no cancel frees a slot a queued
     * job would take); then {@link #shutDown()} releases the subclass's resources, and the trainer's own scheduler
     * stops. Closing again does nothing.
     */
    @Override
    public final void close() {
        if (markClosed()) {
            stopJobsAndShutDown();
        }
    }

    /**
     * {@inheritDoc} Here: no training is accepted any more and no queued one starts; {@link #checkpointBeforeRestart}
     * gets its bounded chance; then the trainer closes as {@link #close()} does, except that the trainings it cancels
     * keep their checkpoints.
     */
    @Override
    public final void closeForRestart() {
        if (!resumesInterrupted() || jobsOutliveProcess()) {
            close();
            return;
        }
        restarting = true;
        if (!markClosed()) {
            return;
        }
        List<J> running = jobs.all().stream()
                .filter(job -> job.info().status() == JobStatus.RUNNING)
                .toList();
        try {
            checkpointBeforeRestart(running);
        } catch (RuntimeException e) {
            LOG.warn("Trainer {} could not ask its trainings for a last checkpoint: {}", name, e.toString());
        }
        stopJobsAndShutDown();
    }

    private synchronized boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        return true;
    }

    private void stopJobsAndShutDown() {
        if (!jobsOutliveProcess()) {
            List<J> all = jobs.all();
            all.stream().filter(job -> job.info().status() == JobStatus.QUEUED).forEach(J::cancel);
            all.stream().filter(job -> !job.info().status().isTerminal()).forEach(J::cancel);
        }
        shutDown();
        if (ownsScheduler) {
            scheduler.close();
        }
    }

    // ---- for subclasses ----

    /** Whether {@link #close()} has begun; read and written under this trainer's monitor for a consistent answer. */
    protected final boolean isClosed() {
        return closed;
    }

    /** The trainer's clock, for submission, start, completion and retention times. */
    protected final Instant now() {
        return clock.instant();
    }

    /** The clock itself, for the subclass's own parts. */
    protected final Clock clock() {
        return clock;
    }

    /** The scheduler the trainer's timers run on. */
    protected final TrainerScheduler scheduler() {
        return scheduler;
    }

    /** The table of jobs, for subclasses that find jobs again (such as from their records). */
    protected final JobTable<J> jobs() {
        return jobs;
    }

    /** Purges finished jobs older than the retention; O(jobs purged), as finished jobs wait in completion order. */
    protected final void purgeExpired() {
        jobs.purgeExpired(clock, purge);
    }

    /**
     * The job's worker (or scheduler) has let go of it; an ended job's checkpoints go now, as a worker stopped by a
     * cancel may have written one more after the job ended. Not when a new training under the same id has been
     * submitted meanwhile: the directory is that training's now, and its worker may already be claiming it.
     */
    protected final void released(J job) {
        if (job.mayHaveCheckpoints()
                && job.status().isTerminal()
                && !keepsCheckpoints(job.info())
                && !resubmitted(job)) {
            deleteCheckpoints(job);
        }
    }

    private boolean resubmitted(J job) {
        J current = jobs.getOrNull(job.id());
        return current != null && current != job;
    }

    /**
     * Whether a job that ended with {@code info} has its checkpoints deleted only once its worker lets go of it
     * ({@link #released}), rather than now, before the callers waiting for it are woken; by default never. Right only
     * for a job whose worker is sure to let go of it and whose id no new training can take meanwhile (the directory
     * would then be the new training's, and {@link #released} leaves it alone).
     */
    protected boolean checkpointsGoOnRelease(J job, JobInfo info) {
        return false;
    }

    /** Refuses options this trainer type cannot honour; by default none. */
    protected void checkOptions(TrainOptions options) {}

    /** A new job for an accepted training, not yet in the table. */
    protected abstract J newJob(AcceptedTraining training);

    /**
     * What must succeed for the trainer to accept the training, once its job holds the id (such as submitting it to
     * a batch scheduler); throwing refuses it and puts the job it replaced back. By default nothing.
     *
     * @param replaced the finished job with the same id this one replaces, or null
     */
    protected void accept(J job, J replaced, AcceptedTraining training) {}

    /**
     * Starts or queues an accepted job, after the listeners heard it was submitted; by default nothing.
     *
     * @param now the clock reading the submission was made at: the start time of a job that starts at once, which so
     *     needs no second reading
     */
    protected void enqueue(J job, Instant now) {}

    /** Releases what a job purged after the retention still holds, before its model is deleted; by default nothing. */
    protected void purged(J job) {}

    /** Whether an ended training's checkpoints are kept; by default they are deleted. */
    protected boolean keepsCheckpointsAfterEnd() {
        return false;
    }

    /**
     * Gives the running trainings a last chance to checkpoint before {@link #closeForRestart()} stops them; returns
     * when they have, or when the subclass's bound is reached. By default nothing.
     */
    protected void checkpointBeforeRestart(List<J> running) {}

    /** Releases the subclass's resources once its jobs have been dealt with on {@link #close()}. */
    protected abstract void shutDown();

    // ---- from jobs ----

    void started(AbstractTrainingJob<J> job) {
        listeners.fire(JobEvent.Kind.STARTED, job);
    }

    void progressed(AbstractTrainingJob<J> job) {
        listeners.fire(JobEvent.Kind.PROGRESS, job);
    }

    void retrying(AbstractTrainingJob<J> job) {
        JobInfo info = job.info();
        LOG.warn(
                "{} of {}: attempt {} failed, it will be retried from its latest checkpoint: {}",
                job.logName(),
                job.module().name(),
                info.attempt(),
                info.currentAttempt().error());
        listeners.fire(JobEvent.Kind.RETRYING, job, info);
    }

    void finished(J job, JobInfo info) {
        jobs.finished(job);
        if (job.mayHaveCheckpoints() && !keepsCheckpoints(info) && !checkpointsGoOnRelease(job, info)) {
            deleteCheckpoints(job);
        }
        logEnd(job, info);
        listeners.fire(JobEvent.Kind.FINISHED, job, info);
    }

    /**
     * Whether a training that ended with {@code info} keeps its checkpoints: when configured so, or when the trainer
     * stopped it to close for a restart.
     */
    private boolean keepsCheckpoints(JobInfo info) {
        return keepsCheckpointsAfterEnd() || (restarting && info.status() == JobStatus.CANCELED);
    }

    /** Logs how a job ended; its arguments are only built when the level is on, as this runs before callers wake. */
    private void logEnd(J job, JobInfo info) {
        switch (info.status()) {
            case ERRORED -> {
                if (LOG.isWarnEnabled()) {
                    LOG.warn("{} of {} errored: {}", job.logName(), job.module().name(), info.errors());
                }
            }
            case CANCELED -> {
                if (LOG.isInfoEnabled()) {
                    LOG.info("{} of {} cancelled", job.logName(), job.module().name());
                }
            }
            default -> {
                if (LOG.isInfoEnabled()) {
                    LOG.info(
                            "{} of {} completed{}",
                            job.logName(),
                            job.module().name(),
                            job.savePath().map(p -> ", saved to " + p).orElse(""));
                }
            }
        }
    }

    private void deleteCheckpoints(J job) {
        try {
            job.deleteCheckpoints();
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the checkpoints of training {}: {}", job.id(), e.toString());
        }
    }

    private void purge(J job) {
        purged(job);
        Submissions.deleteSavedModel(job, job.savePathExisted(), deleteResultsOnPurge);
        LOG.debug("Training {} purged after retention", job.id());
    }
}
