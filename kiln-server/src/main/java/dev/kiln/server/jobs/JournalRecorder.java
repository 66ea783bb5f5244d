package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import java.nio.file.Files;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Journals every job event on the thread that caused it, then passes the event on: nobody downstream (event
 * streams, metrics) hears of a submission or state change before it is durable. While the server shuts down,
 * trainings cancelled by the shutdown are recorded as interrupted, not as cancelled by a user.
 */
public final class JournalRecorder implements JobListener {
    private static final Logger LOG = LoggerFactory.getLogger(JournalRecorder.class);

    private final JobJournal journal;
    private final PendingSubmissions pending;
    private final ResumingTrainings resuming;
    private final List<JobListener> downstream;
    private final OutlivingTrainers outliving;
    private volatile boolean shuttingDown;
    private volatile Set<String> resumable = Set.of();
    private volatile boolean stopped;

    JournalRecorder(
            JobJournal journal,
            PendingSubmissions pending,
            ResumingTrainings resuming,
            List<JobListener> downstream,
            OutlivingTrainers outliving) {
        this.journal = journal;
        this.pending = pending;
        this.resuming = resuming;
        this.downstream = List.copyOf(downstream);
        this.outliving = outliving;
    }

    /**
     * From now on, a training that ends CANCELED was stopped by the shutdown and is recorded as interrupted, unless
     * its trainer's jobs outlive the server (the shutdown never stops those).
     */
    public void shuttingDown() {
        shuttingDown(Set.of());
    }

    /**
     * As {@link #shuttingDown()}, except that a training of one of the {@code resumable} trainers that the shutdown
     * stops is not journaled as ended at all: the journal keeps it QUEUED or RUNNING, as a crash would have left it,
     * and the next start resumes it from its checkpoints. Nobody downstream hears of its end either.
     */
    void shuttingDown(Set<String> resumable) {
        this.resumable = Set.copyOf(resumable);
        shuttingDown = true;
    }

    /** Stops recording and forwarding; the trainer SPI has no way to remove a listener. */
    public void stop() {
        stopped = true;
    }

    @Override
    public void onEvent(JobEvent event) {
        if (stopped) {
            return;
        }
        JobEvent recorded = event;
        ModelFuture f = event.future();
        JobInfo info = event.info();
        try {
            switch (event.kind()) {
                case SUBMITTED -> submitted(f, info);
                case STARTED -> {
                    journal.recordStarted(f.id(), info.started() != null ? info.started() : info.submitted());
                    journal.recordAttempts(f.id(), info.attempts());
                }
                case RETRYING -> journal.recordAttempts(f.id(), info.attempts());
                case PROGRESS -> {
                    if (info.progress() != null && !info.status().isTerminal()) {
                        journal.recordProgress(f.id(), info.progress());
                    }
                }
                case FINISHED -> {
                    if (leftResumable(event)) {
                        return;
                    }
                    recorded = finished(event);
                }
                default -> throw new IllegalStateException("unknown event kind " + event.kind());
            }
        } catch (KilnException e) {
            LOG.error("Training {}: {}", f.id(), e.getMessage());
        }
        for (JobListener l : downstream) {
            try {
                l.onEvent(recorded);
            } catch (RuntimeException e) {
                LOG.warn("Listener {} failed on {} of training {}: {}", l, event.kind(), f.id(), e.toString());
            }
        }
    }

    private void submitted(ModelFuture f, JobInfo info) {
        if (resuming.contains(f.id())) {
            journal.recordResumed(f.id());
            return;
        }
        Optional<PendingSubmissions.Submission> submission = pending.find(f.id());
        try {
            journal.recordSubmitted(record(
                    f,
                    info,
                    submission.map(PendingSubmissions.Submission::parameters).orElse(null)));
            submission.ifPresent(PendingSubmissions.Submission::recorded);
        } catch (KilnException e) {
            if (submission.isPresent()) {
                submission.get().failed(e);
            } else {
                throw e;
            }
        }
    }

    /** The journal record of a training just submitted. */
    static JobRecord record(ModelFuture f, JobInfo info, JsonNode parameters) {
        boolean existed = f.savePath().map(Files::exists).orElse(false);
        return new JobRecord(
                f.trainerName(),
                f.module(),
                f.options().modelName(),
                parameters,
                f.options(),
                f.savePath().map(Object::toString).orElse(null),
                existed,
                info);
    }

    /** Whether the shutdown stopped this training to be resumed by the next start. */
    private boolean leftResumable(JobEvent event) {
        return shuttingDown
                && event.info().status() == JobStatus.CANCELED
                && resumable.contains(event.future().trainerName());
    }

    private JobEvent finished(JobEvent event) {
        JobInfo info = event.info();
        boolean interrupted = shuttingDown && info.status() == JobStatus.CANCELED && !outliving.runs(event.future());
        if (interrupted) {
            info = info.finished(JobStatus.ERRORED, List.of(Interruption.error()), info.completed());
        }
        journal.recordFinished(info.id(), info.status(), info.completed(), info.errors(), logsOf(event.future()));
        journal.recordAttempts(info.id(), info.attempts());
        return interrupted ? new JobEvent(event.kind(), event.future(), info) : event;
    }

    /** The training's captured output, or empty when the trainer cannot give it. */
    static String logsOf(ModelFuture f) {
        try {
            String logs = f.logs();
            return logs == null ? "" : logs;
        } catch (RuntimeException e) {
            return "";
        }
    }
}
