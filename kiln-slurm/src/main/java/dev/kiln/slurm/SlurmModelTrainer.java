package dev.kiln.slurm;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.json.Parameters;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.CommandRunner;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.time.Cancellable;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.base.AbstractModelTrainer;
import dev.kiln.trainer.base.AcceptedTraining;
import dev.kiln.trainer.base.TrainerBuilder;
import dev.kiln.worker.JobSpec;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code SLURM} trainer: each training is a Slurm batch job running Kiln's worker on a compute node, with its
 * spec, events, output and record in a shared work directory. {@link #train} returns once sbatch has accepted the
 * job; one poller thread then follows all jobs. Jobs outlive the trainer: {@link #close()} leaves them running, and
 * a new trainer on the same work directory re-attaches to every job recorded there. Finished jobs are kept for
 * {@code retention_duration}, then purged with their directory (and, as for LOCAL, the model they created).
 */
public final class SlurmModelTrainer extends AbstractModelTrainer<SlurmTrainingJob, SlurmTrainerSettings> {
    /** The type name in configuration. */
    public static final String TYPE = "SLURM";

    private static final Logger LOG = LoggerFactory.getLogger(SlurmModelTrainer.class);

    private final SlurmCommands commands;
    private final JobSubmitter submitter;
    private final Set<SlurmTrainingJob> tracked = ConcurrentHashMap.newKeySet();
    private final PollSlurmJobsTask pollTask;
    private final Cancellable polling;

    private SlurmModelTrainer(Builder b) {
        super(b);
        CommandRunner runner = b.runner != null
                ? b.runner
                : new ProcessCommandRunner(settings().commandTimeout());
        this.commands = new SlurmCommands(settings().tools(), runner);
        this.submitter = new JobSubmitter(settings(), commands);
        this.pollTask = new PollSlurmJobsTask(commands, () -> tracked);
        new JobReattacher(this, commands).reattach(settings().workDir());
        this.polling = scheduler().scheduleWithFixedDelay(pollTask, settings().pollInterval());
    }

    /** A builder; only the settings are required. */
    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String type() {
        return TYPE;
    }

    @Override
    protected void checkOptions(TrainOptions options) {
        if (options.externalTrainingId() != null && options.externalTrainingId().startsWith(".")) {
            throw KilnException.invalidArgument("Invalid external_training_id '" + options.externalTrainingId()
                    + "': it must not start with a dot (job directories starting with a dot are hidden)");
        }
    }

    @Override
    protected SlurmTrainingJob newJob(AcceptedTraining training) {
        String id = training.trainingId();
        SlurmJobDirectory dir = SlurmJobDirectory.of(settings().workDir(), id);
        SlurmJobRecord record = SlurmJobRecord.submitting(
                JobInfo.queued(id, training.submitted()),
                training.module().descriptor(),
                training.options(),
                training.savePath(),
                training.savePathExisted(),
                submitter.options(id, dir, training.options().priority()).arguments());
        return new SlurmTrainingJob(this, record, dir);
    }

    /**
     * Writes the training's spec to the shared work directory and submits it with {@code sbatch}; returns as soon
     * as Slurm has accepted the job.
     *
     * @throws KilnException CONFLICT if another trainer on the work directory runs a training with this id,
     *     UNAVAILABLE naming the command and its output if Slurm cannot be reached or rejects the job (nothing is
     *     left behind then)
     */
    @Override
    protected void accept(SlurmTrainingJob job, SlurmTrainingJob replaced, AcceptedTraining training) {
        SlurmJobDirectory dir = job.directory();
        JobSpec spec = new JobSpec(
                        job.id(),
                        training.module().descriptor().id(),
                        Parameters.toJson(training.parameters()),
                        job.modelPath(),
                        dir.path(),
                        dir.checkpoints(),
                        settings().checkpoints().keep())
                .withDataBase(Parameters.dataBase(training.parameters()).orElse(null));
        if (replaced != null) {
            replaced.releaseFiles();
        }
        String slurmJobId = submitter.submit(
                dir,
                spec,
                job.record(),
                submitter.options(job.id(), dir, job.options().priority()));
        job.track(slurmJobId);
        tracked.add(job);
        LOG.debug("Training {} runs as Slurm job {}", job.id(), slurmJobId);
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

    /** The job's directory goes with it; the job stops writing its record first. */
    @Override
    protected void purged(SlurmTrainingJob job) {
        job.releaseFiles();
        try {
            NoFollowPaths.deleteTree(job.directory().path());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the directory of purged training {}: {}", job.id(), e.toString());
        }
    }

    // ---- for jobs, the poller and re-attachment ----

    SlurmCommands commands() {
        return commands;
    }

    /** Adds a job found in the work directory; {@code follow} says whether Slurm has yet to report its end. */
    void adopt(SlurmTrainingJob job, boolean follow) {
        jobs().add(job);
        if (follow) {
            job.track(job.slurmJobId());
            tracked.add(job);
        }
    }

    /** Queues re-attached finished jobs for retention, oldest first. */
    void adoptFinished(List<SlurmTrainingJob> finished) {
        jobs().finishedEarlier(finished);
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

    /** Whether ended trainings keep their checkpoints ({@code keep_checkpoints}). */
    @Override
    protected boolean keepsCheckpointsAfterEnd() {
        return settings().checkpoints().keepAfterEnd();
    }

    void untrack(SlurmTrainingJob job) {
        tracked.remove(job);
        released(job);
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
     * Stops following the jobs, waiting for a poll under way to end. The Slurm jobs keep running: a new trainer on
     * the same work directory re-attaches to them.
     */
    @Override
    protected void shutDown() {
        polling.cancel();
        pollTask.awaitIdle();
        int running = tracked.size();
        if (running > 0) {
            LOG.info(
                    "Trainer {} closed; {} Slurm jobs keep running and a trainer on {} re-attaches to them",
                    name(),
                    running,
                    settings().workDir());
        }
    }

    /** Builds a SLURM trainer; only the settings are required. */
    public static final class Builder extends TrainerBuilder<Builder, SlurmTrainerSettings> {
        private CommandRunner runner;

        private Builder() {
            super("slurm", null);
        }

        /** How Slurm's commands are run; by default as child processes with the configured timeout. */
        public Builder commandRunner(CommandRunner value) {
            this.runner = value;
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
