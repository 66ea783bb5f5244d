package dev.kiln.slurm;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.model.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.slurm.jobdir.EventFileReader;
import dev.kiln.slurm.jobdir.JobDirectory;
import dev.kiln.slurm.jobdir.JobRecord;
import dev.kiln.slurm.jobdir.OutputTail;
import dev.kiln.slurm.jobdir.WorkerEvent;
import dev.kiln.slurm.scheduler.ExitCode;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainingFailedException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One training submitted to Slurm: its future for callers, and what the poller learns about it from Slurm and
 * from the worker's event file. The poller thread alone calls {@link #observe}; {@link #cancel()} may come from any
 * thread, and every state change is a compare-and-set on the job's {@link JobState}.
 */
public final class SlurmTrainingJob implements ModelFuture {
    private static final Logger LOG = LoggerFactory.getLogger(SlurmTrainingJob.class);
    /** Polls in a row in which neither scontrol nor sacct know the job before it counts as lost. */
    static final int POLLS_BEFORE_LOST = 3;
    /**
     * Polls that must report a final state before Slurm's word decides without the worker's: the worker's last
     * event may reach this node's view of a shared file system a little after the job ended.
     */
    static final int POLLS_TO_CONFIRM_END = 2;
    private static final long OUTPUT_TAIL_IN_ERRORS = 4096;

    private final String id;
    private final SlurmModelTrainer trainer;
    private final ModuleDescriptor module;
    private final TrainOptions options;
    private final Path savePath;
    private final boolean savePathExisted;
    private final JobDirectory dir;
    private final JobState state;
    private final CompletableFuture<JobInfo> done = new CompletableFuture<>();
    private final EventFileReader events;
    private final Object recordLock = new Object();
    private JobRecord record;
    private volatile String slurmJobId;
    private volatile boolean tracking;
    private volatile boolean cancelPending;
    private volatile boolean filesReleased;
    /** The worker wrote its last event ({@code cancelled}): Slurm's end needs no second look. */
    private volatile boolean workerStopped;
    private int missingPolls;
    private int finishedPolls;

    SlurmTrainingJob(SlurmModelTrainer trainer, JobRecord record, JobDirectory dir) {
        this.id = record.trainingId();
        this.trainer = trainer;
        this.module = record.module();
        this.options = record.options().toTrainOptions();
        this.savePath = record.savePathAsPath();
        this.savePathExisted = record.savePathExisted();
        this.dir = dir;
        this.record = record;
        this.slurmJobId = record.slurmJobId();
        this.events = new EventFileReader(dir.events());
        JobInfo initial = record.info();
        this.state = new JobState(initial, this::terminated);
        if (initial.status().isTerminal()) {
            done.complete(initial);
        }
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
        return module;
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

    /** The Slurm job id, or null while the job is being submitted. */
    public String slurmJobId() {
        return slurmJobId;
    }

    /** The training's directory in the shared work directory. */
    public JobDirectory directory() {
        return dir;
    }

    /** The trainer's record of the job as last written. */
    public JobRecord record() {
        synchronized (recordLock) {
            return record;
        }
    }

    /** Cancels the training: CANCELED at once, then {@code scancel}; the poller follows the job until Slurm ends it. */
    @Override
    public void cancel() {
        if (state.finish(JobStatus.CANCELED, List.of(), trainer.now())) {
            sendCancel();
        }
    }

    @Override
    public JobInfo await() throws InterruptedException {
        try {
            return done.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public JobInfo await(Duration timeout) throws InterruptedException {
        try {
            return done.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return info();
        } catch (ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Model load() throws InterruptedException {
        JobInfo info = await();
        return switch (info.status()) {
            case COMPLETED -> ModelFormat.load(modelPath(), trainer.modules());
            case CANCELED -> throw KilnException.failedPrecondition("Training " + id + " was cancelled");
            default -> throw new TrainingFailedException(id, info.errors());
        };
    }

    /** The end of Slurm's output file for the job: what the worker and the module printed. */
    @Override
    public String logs() {
        try {
            return OutputTail.read(dir.output(), trainer.settings().logCaptureBytes());
        } catch (IOException e) {
            LOG.warn("Could not read the output of training {} from {}: {}", id, dir.output(), e.toString());
            return "";
        }
    }

    // ---- for the trainer and the poller ----

    /** Where the worker saves the model: the save path, or a directory of the job's own when there is none. */
    Path modelPath() {
        return savePath != null ? savePath : dir.model();
    }

    boolean savePathExisted() {
        return savePathExisted;
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

    /**
     * Takes in one poll: the worker's new events, then what Slurm said.
     *
     * @param status the job's Slurm status, or null when neither scontrol nor sacct know it
     * @param answered whether Slurm could be asked at all; when not, only the events are read
     */
    void observe(SlurmJobStatus status, boolean answered) {
        readEvents();
        if (!answered) {
            return;
        }
        if (status == null) {
            if (++missingPolls >= POLLS_BEFORE_LOST) {
                LOG.warn("Slurm job {} of training {} is unknown to scontrol and sacct; no longer following it",
                        slurmJobId, id);
                finish(SlurmOutcome.lost(slurmJobId, id));
                stopTracking(null);
            }
            return;
        }
        missingPolls = 0;
        switch (status.state().phase()) {
            case WAITING -> retryCancel();
            case ACTIVE -> {
                markRunning();
                retryCancel();
            }
            case FINISHED -> {
                boolean terminal = state.get().status().isTerminal();
                if (!terminal && !workerStopped && ++finishedPolls < POLLS_TO_CONFIRM_END) {
                    return;
                }
                if (!terminal) {
                    markRunning();
                    finish(SlurmOutcome.fromSlurm(status, id, outputTail()));
                }
                discardCancelledResult();
                stopTracking(status);
            }
            default -> throw new IllegalStateException("Unknown phase " + status.state().phase());
        }
    }

    /** Reads the events the worker appended since the last poll and applies them. */
    void readEvents() {
        if (filesReleased) {
            return;
        }
        List<WorkerEvent> news;
        try {
            news = events.readNew();
        } catch (IOException e) {
            LOG.warn("Could not read the events of training {} from {}: {}", id, events.file(), e.toString());
            return;
        }
        for (WorkerEvent event : news) {
            apply(event);
        }
    }

    private void apply(WorkerEvent event) {
        if (event instanceof WorkerEvent.Started) {
            markRunning();
        } else if (event instanceof WorkerEvent.Progressed p) {
            if (!state.get().status().isTerminal()) {
                state.progress(new Progress(p.step(), p.total(), p.metrics(),
                        p.timestamp() != null ? p.timestamp() : trainer.now()));
                trainer.progressed(this);
            }
        } else if (event instanceof WorkerEvent.Cancelled) {
            markRunning();
            workerStopped = true;
        } else {
            Optional<SlurmOutcome> outcome = SlurmOutcome.fromWorker(event);
            if (outcome.isPresent()) {
                markRunning();
                finish(outcome.get());
            }
        }
    }

    /** Ends a job whose submission was cut short, found so by re-attachment. */
    void interrupted(JobError error) {
        state.finish(JobStatus.ERRORED, List.of(error), trainer.now());
    }

    private void markRunning() {
        if (state.start(trainer.now())) {
            writeRecord(r -> r.withInfo(state.get()));
            trainer.started(this);
        }
    }

    private void finish(SlurmOutcome outcome) {
        state.finish(outcome.status(), outcome.errors(), trainer.now());
    }

    private void terminated(JobInfo info) {
        writeRecord(r -> r.withInfo(info));
        trainer.finished(this, info);
        done.complete(info);
    }

    private void sendCancel() {
        String jobId = slurmJobId;
        if (jobId == null || !tracking) {
            return;
        }
        try {
            trainer.commands().cancel(jobId);
            cancelPending = false;
        } catch (KilnException e) {
            cancelPending = true;
            LOG.warn("Could not cancel Slurm job {} of training {}; trying again at the next poll: {}", jobId, id,
                    e.getMessage());
        }
    }

    private void retryCancel() {
        if (cancelPending) {
            sendCancel();
        }
    }

    /** A cancelled training keeps no model, even one the worker saved before the cancel reached it. */
    private void discardCancelledResult() {
        if (!filesReleased && state.get().status() == JobStatus.CANCELED && savePath != null && !savePathExisted
                && Files.exists(savePath)) {
            LOG.info("Removing the model training {} saved before it was cancelled: {}", id, savePath);
            ModelFormat.deleteRecursively(savePath);
        }
    }

    private void stopTracking(SlurmJobStatus status) {
        tracking = false;
        cancelPending = false;
        if (status != null) {
            ExitCode exit = status.exitCode();
            writeRecord(r -> r.withSlurmResult(status.stateText(), exit == null ? null : exit.toString()));
        }
        trainer.untrack(this);
    }

    private String outputTail() {
        try {
            return OutputTail.read(dir.output(), OUTPUT_TAIL_IN_ERRORS);
        } catch (IOException e) {
            return "";
        }
    }

    /** The job no longer owns its directory (purged, or replaced by a retry with its id): it stops touching it. */
    void releaseFiles() {
        filesReleased = true;
    }

    /** Changes the job record and writes it; a failed write is logged, as the job itself goes on. */
    void writeRecord(UnaryOperator<JobRecord> change) {
        synchronized (recordLock) {
            JobRecord next = change.apply(record);
            record = next;
            if (filesReleased) {
                return;
            }
            try {
                next.writeTo(dir);
            } catch (IOException e) {
                LOG.warn("Could not write the record of training {} to {}: {}", id, dir.record(), e.toString());
            }
        }
    }

    Instant submitted() {
        return state.get().submitted();
    }

    @Override
    public String toString() {
        return "SlurmTrainingJob(" + id + ", Slurm job " + slurmJobId + ", " + info().status() + ")";
    }
}
