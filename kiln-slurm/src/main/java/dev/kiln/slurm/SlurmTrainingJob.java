package dev.kiln.slurm;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.jobdir.SlurmOutputTail;
import dev.kiln.slurm.scheduler.ExitCode;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.trainer.base.AbstractTrainingJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training submitted to Slurm: its future for callers, its record in the work directory, and the state
 * changes its {@link JobFollower} makes from what the poller learns. {@link #cancel()} may come from any thread;
 * every state change is checked against the transition table by the job's {@link JobState}.
 */
public final class SlurmTrainingJob extends AbstractTrainingJob<SlurmTrainingJob> {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmTrainingJob.class);
    private static final long OUTPUT_TAIL_IN_ERRORS = 4096;

    private final SlurmModelTrainer slurmTrainer;
    private final SlurmJobDirectory dir;
    private final JobFollower follower;
    private final Object recordLock = new Object();
    private SlurmJobRecord record; // guarded by recordLock
    private volatile String slurmJobId;
    private volatile boolean tracking;
    private volatile boolean cancelPending;
    private volatile boolean filesReleased;

    SlurmTrainingJob(SlurmModelTrainer trainer, SlurmJobRecord record, SlurmJobDirectory dir) {
        super(
                trainer,
                record.trainingId(),
                record.module(),
                record.options().toTrainOptions(),
                record.savePathAsPath(),
                record.savePathExisted(),
                record.info());
        this.slurmTrainer = trainer;
        this.dir = dir;
        this.record = record;
        this.slurmJobId = record.slurmJobId();
        this.follower = new JobFollower(this);
    }

    /** The Slurm job id, or null while the job is being submitted. */
    public String slurmJobId() {
        return slurmJobId;
    }

    /**
     * The current attempt, counting from 1: one more for each time Slurm requeued the job (after a node failure, a
     * preemption or {@code scontrol requeue}) and for each time the trainer submitted it again. Every attempt after
     * the first resumes from the training's latest checkpoint.
     */
    public int attempt() {
        return record().attempt();
    }

    /** The training's directory in the shared work directory. */
    public SlurmJobDirectory directory() {
        return dir;
    }

    /** The trainer's record of the job as last written. */
    public SlurmJobRecord record() {
        synchronized (recordLock) {
            return record;
        }
    }

    /** After the cancel made the job CANCELED: {@code scancel}; the poller follows the job until Slurm ends it. */
    @Override
    protected void cancelled() {
        sendCancel();
    }

    @Override
    public long checkpointBytes() {
        return CheckpointStore.sizeOf(dir.checkpoints());
    }

    /** The end of Slurm's output file for the job: what the worker and the module printed. */
    @Override
    public String logs() {
        try {
            return SlurmOutputTail.read(dir.output(), slurmTrainer.settings().logCaptureBytes());
        } catch (IOException e) {
            LOG.warn("Could not read the output of training {} from {}: {}", id(), dir.output(), e.toString());
            return "";
        }
    }

    // ---- for the trainer and the poller ----

    /** Where the worker saves the model: the save path, or a directory of the job's own when there is none. */
    @Override
    protected Path modelPath() {
        return savePath().orElse(dir.model());
    }

    /** Whether the poller still follows the job: until Slurm reports its final state. */
    boolean isTracking() {
        return tracking;
    }

    /** Starts following the job under the Slurm job id sbatch gave (already written to its record). */
    void track(String jobId) {
        synchronized (recordLock) {
            record = record.withSlurmJobId(jobId);
        }
        this.slurmJobId = jobId;
        this.tracking = true;
    }

    /** Takes in one poll; see {@link JobFollower#observe}. */
    void observe(SlurmJobStatus status, boolean answered) {
        follower.observe(status, answered);
    }

    /** Ends a job whose submission was cut short, found so by re-attachment. */
    void interrupted(JobError error) {
        moveToTerminal(JobStatus.ERRORED, List.of(error));
    }

    /**
     * Takes in the restart count Slurm reports for the current Slurm job.
     *
     * @return true if Slurm has requeued the job since the last count: a new attempt begins
     */
    boolean restarted(int restarts) {
        int before;
        synchronized (recordLock) {
            before = record.restarts();
        }
        if (restarts <= before) {
            return false;
        }
        writeRecord(r -> r.withRestarts(restarts));
        if (attempt() > maxRetries() + 1) {
            LOG.warn(
                    "Slurm requeued job {} of training {}, but attempt {} is more than max_retries {} allows; it is"
                            + " cancelled",
                    slurmJobId,
                    id(),
                    attempt(),
                    maxRetries());
            if (moveToTerminal(JobStatus.ERRORED, List.of(retriesSpent()))) {
                sendCancel();
            }
            return true;
        }
        LOG.info(
                "Slurm requeued job {} of training {}; attempt {} resumes from its latest checkpoint",
                slurmJobId,
                id(),
                attempt());
        return true;
    }

    /** The error of a training Slurm requeued once more than its retries allow. */
    private JobError retriesSpent() {
        return JobError.of(
                JobError.Kind.SCHEDULER,
                "Slurm requeued job " + slurmJobId + " of training " + id() + " for attempt " + attempt()
                        + ", more than max_retries " + maxRetries() + " allows");
    }

    /**
     * Submits the training again as a new Slurm job after its job ended for the cluster's reasons; a new attempt
     * begins, resuming from the latest checkpoint.
     *
     * @return false if Slurm refused the new job (the caller then ends the training with the original outcome)
     */
    boolean resubmit(SlurmJobStatus ended) {
        String next;
        try {
            next = slurmTrainer.resubmit(this);
        } catch (KilnException e) {
            LOG.warn(
                    "Could not submit training {} again after Slurm job {} {}: {}",
                    id(),
                    slurmJobId,
                    ended.describeEnd(),
                    e.getMessage());
            return false;
        }
        String previous = slurmJobId;
        writeRecord(r -> r.resubmittedAs(next));
        slurmJobId = next;
        LOG.warn(
                "Slurm job {} of training {} {}; submitted again as Slurm job {}, attempt {}, resuming from its latest"
                        + " checkpoint",
                previous,
                id(),
                ended.describeEnd(),
                next,
                attempt());
        if (info().status().isTerminal()) {
            sendCancel(); // cancelled while the new job was being submitted
        }
        return true;
    }

    /**
     * How many times the training may be retried, Slurm's own requeues included: the train request's
     * {@code max_retries}, or else the trainer's ({@link SlurmTrainerSettings#maxRetries()}).
     */
    int maxRetries() {
        Integer requested = options().maxRetries();
        return requested != null ? requested : slurmTrainer.settings().maxRetries();
    }

    void markRunning() {
        moveToRunning();
    }

    @Override
    protected void running() {
        writeRecord(r -> r.withInfo(info()));
    }

    void progress(Progress progress) {
        recordProgress(progress);
    }

    void finish(SlurmOutcome outcome) {
        moveToTerminal(outcome.status(), outcome.errors());
    }

    @Override
    protected void ended(JobInfo info) {
        writeRecord(r -> r.withInfo(info));
    }

    @Override
    protected void deleteCheckpoints() {
        CheckpointStore.deleteAll(dir.checkpoints());
    }

    @Override
    protected String logName() {
        return super.logName() + " (Slurm job " + slurmJobId + ")";
    }

    private void sendCancel() {
        String jobId = slurmJobId;
        if (jobId == null || !tracking) {
            return;
        }
        try {
            slurmTrainer.commands().cancel(jobId);
            cancelPending = false;
        } catch (KilnException e) {
            cancelPending = true;
            LOG.warn(
                    "Could not cancel Slurm job {} of training {}; trying again at the next poll: {}",
                    jobId,
                    id(),
                    e.getMessage());
        }
    }

    void retryCancel() {
        if (cancelPending) {
            sendCancel();
        }
    }

    /** A cancelled training keeps no model, even one the worker saved before the cancel reached it. */
    private void discardCancelledResult() {
        Path saved = savePath().orElse(null);
        if (!filesReleased
                && info().status() == JobStatus.CANCELED
                && saved != null
                && !savePathExisted()
                && Files.exists(saved)) {
            LOG.info("Removing the model training {} saved before it was cancelled: {}", id(), saved);
            NoFollowPaths.deleteTree(saved);
        }
    }

    /**
     * Slurm has ended the job (or forgotten it, when {@code status} is null): it is no longer followed, its final
     * state goes into the record, and a cancelled training's late model is removed.
     */
    void slurmEnded(SlurmJobStatus status) {
        discardCancelledResult();
        tracking = false;
        cancelPending = false;
        if (status != null) {
            ExitCode exit = status.exitCode();
            writeRecord(r -> r.withSlurmResult(status.stateText(), exit == null ? null : exit.toString()));
        }
        slurmTrainer.untrack(this);
    }

    String outputTail() {
        try {
            return SlurmOutputTail.read(dir.output(), OUTPUT_TAIL_IN_ERRORS);
        } catch (IOException e) {
            return "";
        }
    }

    /** The job no longer owns its directory (purged, or replaced by a retry with its id): it stops touching it. */
    void releaseFiles() {
        synchronized (recordLock) {
            filesReleased = true;
        }
    }

    boolean filesReleased() {
        return filesReleased;
    }

    /** Changes the job record and writes it; a failed write is logged, as the job itself goes on. */
    void writeRecord(UnaryOperator<SlurmJobRecord> change) {
        synchronized (recordLock) {
            SlurmJobRecord next = change.apply(record);
            record = next;
            if (filesReleased) {
                return;
            }
            try {
                next.writeTo(dir);
            } catch (IOException e) {
                LOG.warn("Could not write the record of training {} to {}: {}", id(), dir.record(), e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "SlurmTrainingJob(" + id() + ", Slurm job " + slurmJobId + ", " + info().status() + ")";
    }
}
