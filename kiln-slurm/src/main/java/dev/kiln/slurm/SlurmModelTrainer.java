package dev.kiln.slurm;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.Parameters;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.CommandRunner;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SubmitOptions;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.base.JobListeners;
import dev.kiln.trainer.base.JobTable;
import dev.kiln.trainer.base.SavePaths;
import dev.kiln.trainer.base.Submissions;
import dev.kiln.worker.JobSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code SLURM} trainer: each training is a Slurm batch job running Kiln's worker on a compute node, with its
 * spec, events, output and record in a shared work directory. {@link #train} returns once sbatch has accepted the
 * job; one poller thread then follows all jobs. Jobs outlive the trainer: {@link #close()} leaves them running, and
 * a new trainer on the same work directory re-attaches to every job recorded there. Finished jobs are kept for
 * {@code retention_duration}, then purged with their directory (and, as for LOCAL, the model they created).
 */
public final class SlurmModelTrainer implements ModelTrainer {
    /** The type name in configuration. */
    public static final String TYPE = "SLURM";

    private static final Logger LOG = LoggerFactory.getLogger(SlurmModelTrainer.class);

    private final String name;
    private final SlurmTrainerSettings settings;
    private final Clock clock;
    private final ModuleRegistry modules;
    private final SlurmCommands commands;
    private final JobSubmitter submitter;
    private final JobTable<SlurmTrainingJob> jobs;
    private final Set<SlurmTrainingJob> tracked = ConcurrentHashMap.newKeySet();
    private final JobListeners listeners = new JobListeners();
    private final PollSlurmJobsTask pollTask;
    private final ScheduledExecutorService ownedScheduler;
    private final ScheduledFuture<?> polling;
    private volatile boolean closed;

    private SlurmModelTrainer(Builder b) {
        this.name = b.name;
        this.settings = Objects.requireNonNull(b.settings, "settings");
        this.clock = b.clock;
        this.modules = b.modules != null ? b.modules : ModuleRegistry.global();
        CommandRunner runner = b.runner != null ? b.runner : new ProcessCommandRunner(settings.commandTimeout());
        this.commands = new SlurmCommands(settings.tools(), runner);
        this.submitter = new JobSubmitter(settings, commands);
        this.jobs = new JobTable<>(settings.retention());
        this.pollTask = new PollSlurmJobsTask(commands, () -> tracked);
        new JobReattacher(this, commands).reattach(settings.workDir());
        ScheduledExecutorService scheduler = b.scheduler;
        if (scheduler == null) {
            ownedScheduler = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "kiln-" + name + "-slurm-poller");
                t.setDaemon(true);
                return t;
            });
            scheduler = ownedScheduler;
        } else {
            ownedScheduler = null;
        }
        long interval = settings.pollInterval().toNanos();
        this.polling = scheduler.scheduleWithFixedDelay(pollTask, interval, interval, TimeUnit.NANOSECONDS);
    }

    /** A builder; only the settings are required. */
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
    public SlurmTrainerSettings settings() {
        return settings;
    }

    /**
     * Writes the training's spec to the shared work directory and submits it with {@code sbatch}; returns as soon
     * as Slurm has accepted the job.
     *
     * @throws KilnException INVALID_ARGUMENT for missing parameters or a bad model name or external id, CONFLICT if
     *     the external id names a training that is still running, UNAVAILABLE naming the command and its output if
     *     Slurm cannot be reached or rejects the job (nothing is left behind then), FAILED_PRECONDITION if the
     *     trainer is closed
     */
    @Override
    public <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options) {
        TrainOptions opts = Submissions.accept(name, closed, module, parameters, options);
        if (opts.externalTrainingId() != null && opts.externalTrainingId().startsWith(".")) {
            throw KilnException.invalidArgument("Invalid external_training_id '" + opts.externalTrainingId()
                    + "': it must not start with a dot (job directories starting with a dot are hidden)");
        }
        purgeExpired();
        String id = opts.externalTrainingId() != null
                ? opts.externalTrainingId()
                : UUID.randomUUID().toString();
        Path savePath = SavePaths.resolve(opts.savePath(), opts.saveWithId(), id, opts.modelName());
        savePath = savePath == null ? null : NoFollowPaths.canonical(savePath);
        boolean existed = savePath != null && Files.exists(savePath);
        SlurmJobDirectory dir = SlurmJobDirectory.of(settings.workDir(), id);
        SubmitOptions submitOptions = submitter.options(id, dir, opts.priority());
        SlurmJobRecord record = SlurmJobRecord.submitting(
                JobInfo.queued(id, clock.instant()),
                module.descriptor(),
                opts,
                savePath,
                existed,
                submitOptions.arguments());
        SlurmTrainingJob job = new SlurmTrainingJob(this, record, dir);
        JobSpec spec = new JobSpec(
                id,
                module.descriptor().id(),
                Parameters.toJson(parameters),
                job.modelPath(),
                dir.path(),
                dir.checkpoints(),
                settings.checkpoints().keep());
        SlurmTrainingJob previous = jobs.claim(job);
        String slurmJobId;
        try {
            if (previous != null) {
                previous.releaseFiles();
            }
            slurmJobId = submitter.submit(dir, spec, record, submitOptions);
        } catch (RuntimeException e) {
            jobs.unclaim(job, previous);
            throw e;
        }
        job.track(slurmJobId);
        tracked.add(job);
        LOG.debug(
                "Training {} of {} submitted to trainer {} as Slurm job {}",
                id,
                module.descriptor().name(),
                name,
                slurmJobId);
        listeners.fire(JobEvent.Kind.SUBMITTED, job, job.info());
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

    /** True: Slurm runs the jobs, and a new trainer on the same work directory re-attaches to them. */
    @Override
    public boolean jobsOutliveProcess() {
        return true;
    }

    /** Polls Slurm and the event files once, now, on the calling thread. */
    void pollNow() {
        pollTask.poll();
    }

    /** Purges finished jobs older than the retention, in completion order. */
    void purgeExpired() {
        jobs.purgeExpired(clock.instant(), this::purge);
    }

    private void purge(SlurmTrainingJob job) {
        job.releaseFiles();
        Submissions.deleteSavedModel(job, job.savePathExisted(), settings.deleteResultsOnPurge());
        try {
            NoFollowPaths.deleteTree(job.directory().path());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the directory of purged training {}: {}", job.id(), e.toString());
        }
        LOG.debug("Training {} purged after retention", job.id());
    }

    // ---- for jobs, the poller and re-attachment ----

    Instant now() {
        return clock.instant();
    }

    ModuleRegistry modules() {
        return modules;
    }

    SlurmCommands commands() {
        return commands;
    }

    /** Adds a job found in the work directory; {@code follow} says whether Slurm has yet to report its end. */
    void adopt(SlurmTrainingJob job, boolean follow) {
        jobs.add(job);
        if (follow) {
            job.track(job.slurmJobId());
            tracked.add(job);
        }
    }

    /** Queues re-attached finished jobs for retention, oldest first. */
    void adoptFinished(List<SlurmTrainingJob> finished) {
        jobs.finishedEarlier(finished);
    }

    void started(SlurmTrainingJob job) {
        listeners.fire(JobEvent.Kind.STARTED, job, job.info());
    }

    void progressed(SlurmTrainingJob job) {
        listeners.fire(JobEvent.Kind.PROGRESS, job, job.info());
    }

    void finished(SlurmTrainingJob job, JobInfo info) {
        jobs.finished(job);
        deleteCheckpoints(job);
        if (info.status() == JobStatus.ERRORED) {
            LOG.warn(
                    "Training {} of {} (Slurm job {}) errored: {}",
                    job.id(),
                    job.module().name(),
                    job.slurmJobId(),
                    info.errors());
        } else {
            LOG.info(
                    "Training {} of {} (Slurm job {}) {}",
                    job.id(),
                    job.module().name(),
                    job.slurmJobId(),
                    info.status() == JobStatus.COMPLETED ? "completed" : "cancelled");
        }
        listeners.fire(JobEvent.Kind.FINISHED, job, info);
    }

    /**
     * Submits a training's script again as a new Slurm job.
     *
     * @return the new Slurm job id
     * @throws KilnException UNAVAILABLE if Slurm rejects it
     */
    String resubmit(SlurmTrainingJob job) {
        return submitter.resubmit(job.directory(), job.record());
    }

    void untrack(SlurmTrainingJob job) {
        tracked.remove(job);
        if (job.info().status().isTerminal()) {
            // a worker stopped by a cancel may have written one more checkpoint after the training ended
            deleteCheckpoints(job);
        }
    }

    private void deleteCheckpoints(SlurmTrainingJob job) {
        if (settings.checkpoints().keepAfterEnd()) {
            return;
        }
        try {
            CheckpointStore.deleteAll(job.directory().checkpoints());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the checkpoints of training {}: {}", job.id(), e.toString());
        }
    }

    /** The jobs still followed, for tests. */
    Set<SlurmTrainingJob> tracked() {
        return Set.copyOf(tracked);
    }

    static JobError interruptedSubmission(String trainingId) {
        return JobError.of(
                JobError.Kind.INTERRUPTED,
                "Training " + trainingId + " was being submitted to Slurm when"
                        + " its trainer stopped, and Slurm holds no job for it");
    }

    /**
     * Stops following the jobs and releases the poller. The Slurm jobs keep running: a new trainer on the same
     * work directory re-attaches to them.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        polling.cancel(false);
        if (ownedScheduler != null) {
            ownedScheduler.shutdown();
        }
        pollTask.awaitIdle();
        int running = tracked.size();
        if (running > 0) {
            LOG.info(
                    "Trainer {} closed; {} Slurm jobs keep running and a trainer on {} re-attaches to them",
                    name,
                    running,
                    settings.workDir());
        }
    }

    /** Builds a SLURM trainer; only the settings are required. */
    public static final class Builder {
        private String name = "slurm";
        private SlurmTrainerSettings settings;
        private Clock clock = Clock.systemUTC();
        private ModuleRegistry modules;
        private CommandRunner runner;
        private ScheduledExecutorService scheduler;

        /** The instance name from the config; {@code slurm} by default. */
        public Builder name(String value) {
            this.name = Objects.requireNonNull(value, "name");
            return this;
        }

        /** The trainer's settings, as {@link SlurmTrainerSettings#from} reads them. */
        public Builder settings(SlurmTrainerSettings value) {
            this.settings = Objects.requireNonNull(value, "settings");
            return this;
        }

        /** The clock for submission, start, completion and retention times (tests pass a fake one). */
        public Builder clock(Clock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        /** The modules {@code load()} can load; by default those on the class path. */
        public Builder modules(ModuleRegistry value) {
            this.modules = value;
            return this;
        }

        /** How Slurm's commands are run; by default as child processes with the configured timeout. */
        public Builder commandRunner(CommandRunner value) {
            this.runner = value;
            return this;
        }

        /** The scheduler the poller runs on; by default a daemon thread of the trainer's own. */
        public Builder scheduler(ScheduledExecutorService value) {
            this.scheduler = value;
            return this;
        }

        /**
         * Builds the trainer and re-attaches it to the jobs recorded in its work directory.
         *
         * @throws NullPointerException if no settings were given
         */
        public SlurmModelTrainer build() {
            return new SlurmModelTrainer(this);
        }
    }
}
