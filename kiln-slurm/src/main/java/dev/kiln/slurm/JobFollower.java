package dev.kiln.slurm;

import dev.kiln.slurm.jobdir.EventFileReader;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.worker.WorkerEvent;
import java.io.IOException;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What one poll learns about one job, turned into its state changes: first the worker's new events, then Slurm's
 * status. A job Slurm requeues (its restart count goes up, it waits again) is followed into its next run, whose
 * worker appends to the same events and resumes from the checkpoint (epochs it repeats after the last checkpoint are
 * not reported twice); a job that ends NODE_FAIL, BOOT_FAIL or
 * PREEMPTED is submitted again while attempts remain ({@code max_retries}, the request's or the trainer's, which
 * Slurm's own requeues count against: one beyond it ends the training ERRORED and cancels the job). Only the poller thread calls it, so its counters need no locking.
 */
final class JobFollower {
    private static final Logger LOG = LoggerFactory.getLogger(JobFollower.class);
    /** Polls in a row in which neither squeue nor sacct know the job before it counts as lost. */
    static final int POLLS_BEFORE_LOST = 3;
    /**
     * Polls that must report a final state before Slurm's word decides without the worker's: the worker's last
     * event may reach this node's view of a shared file system a little after the job ended.
     */
    static final int POLLS_TO_CONFIRM_END = 2;

    private final SlurmTrainingJob job;
    private final EventFileReader events;
    private boolean workerStopped;
    private boolean workerSeen;
    /** Progress of a new run up to this step repeats what an earlier run reported, and is not reported again. */
    private long replayedThrough = -1;

    private int missingPolls;
    private int finishedPolls;

    JobFollower(SlurmTrainingJob job) {
        this.job = job;
        this.events = new EventFileReader(job.directory().events());
    }

    /**
     * Takes in one poll.
     *
     * @param status the job's Slurm status, or null when neither squeue nor sacct know it
     * @param answered whether Slurm could be asked at all; when not, only the events are read
     */
    void observe(SlurmJobStatus status, boolean answered) {
        readEvents();
        if (!answered) {
            return;
        }
        if (status == null) {
            if (++missingPolls >= POLLS_BEFORE_LOST) {
                LOG.warn(
                        "Slurm job {} of training {} is unknown to squeue and sacct; no longer following it",
                        job.slurmJobId(),
                        job.id());
                job.finish(SlurmOutcome.lost(job.slurmJobId(), job.id()));
                job.slurmEnded(null);
            }
            return;
        }
        missingPolls = 0;
        if (status.restarts() != null && job.restarted(status.restarts())) {
            newAttempt();
        }
        switch (status.state().phase()) {
            case WAITING -> job.retryCancel();
            case ACTIVE -> {
                job.markRunning();
                job.retryCancel();
            }
            case FINISHED -> {
                boolean terminal = job.info().status().isTerminal();
                if (!terminal && !workerStopped && ++finishedPolls < POLLS_TO_CONFIRM_END) {
                    return;
                }
                if (!terminal
                        && SlurmOutcome.retryable(status.state())
                        && job.attempt() <= job.maxRetries()
                        && job.resubmit(status)) {
                    newAttempt();
                    return;
                }
                if (!terminal) {
                    job.markRunning();
                    job.finish(SlurmOutcome.fromSlurm(status, job.id(), job.outputTail(), job.attempt()));
                }
                job.slurmEnded(status);
            }
            default ->
                throw new IllegalStateException(
                        "Unknown phase " + status.state().phase());
        }
    }

    /** A new attempt of the training begins: what was learnt about the last one's end no longer holds. */
    private void newAttempt() {
        workerStopped = false;
        finishedPolls = 0;
    }

    private void readEvents() {
        if (job.filesReleased()) {
            return;
        }
        List<WorkerEvent> news;
        try {
            news = events.readNew();
        } catch (IOException e) {
            LOG.warn("Could not read the events of training {} from {}: {}", job.id(), events.file(), e.toString());
            return;
        }
        news.forEach(this::apply);
    }

    private void apply(WorkerEvent event) {
        if (event instanceof WorkerEvent.Started) {
            if (workerSeen) {
                // the worker runs again (a requeue or resubmission): it resumes from the latest checkpoint, which
                // may be older than the last progress reported
                workerStopped = false;
                replayedThrough = job.info().progress() == null
                        ? -1
                        : job.info().progress().step();
            }
            workerSeen = true;
            job.markRunning();
        } else if (event instanceof WorkerEvent.Progressed p) {
            if (p.progress().step() > replayedThrough) {
                job.progress(p.progress());
            }
        } else if (event instanceof WorkerEvent.Cancelled) {
            job.markRunning();
            workerStopped = true;
        } else {
            Optional<SlurmOutcome> outcome = SlurmOutcome.fromWorker(event);
            if (outcome.isPresent()) {
                job.markRunning();
                job.finish(outcome.get());
            }
        }
    }
}
