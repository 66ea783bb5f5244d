package dev.kiln.slurm;

import dev.kiln.slurm.scheduler.SlurmCommandException;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One poll of every job a trainer follows: one {@code squeue} for all of them (asking for these jobs only), one
 * {@code sacct} for those the controller has already purged, then each job reads its new events and takes in what
 * Slurm said. When Slurm cannot be asked, the jobs still read their events, and the next poll tries again.
 */
final class PollSlurmJobsTask implements Runnable {
    private static final Logger LOG = LoggerFactory.getLogger(PollSlurmJobsTask.class);

    /** Numeric order for Slurm's numeric ids, so commands and logs list jobs in submission order. */
    private static final Comparator<SlurmTrainingJob> BY_SLURM_JOB_ID = Comparator.comparingInt(
                    (SlurmTrainingJob j) -> j.slurmJobId().length())
            .thenComparing(SlurmTrainingJob::slurmJobId);

    private final SlurmCommands commands;
    private final Supplier<Collection<SlurmTrainingJob>> tracked;
    private boolean slurmFailing; // guarded by this

    PollSlurmJobsTask(SlurmCommands commands, Supplier<Collection<SlurmTrainingJob>> tracked) {
        this.commands = commands;
        this.tracked = tracked;
    }

    @Override
    public void run() {
        try {
            poll();
        } catch (RuntimeException e) {
            LOG.error("Polling Slurm jobs failed; trying again at the next poll", e);
        }
    }

    /** Polls once, on the calling thread. */
    synchronized void poll() {
        List<SlurmTrainingJob> jobs = new ArrayList<>(tracked.get());
        if (jobs.isEmpty()) {
            return;
        }
        jobs.sort(BY_SLURM_JOB_ID);
        Map<String, SlurmJobStatus> known = null;
        boolean purgedAnswered = true;
        try {
            known = new HashMap<>(commands.showJobs(
                    jobs.stream().map(SlurmTrainingJob::slurmJobId).toList()));
            List<String> purged = new ArrayList<>();
            for (SlurmTrainingJob job : jobs) {
                if (!known.containsKey(job.slurmJobId())) {
                    purged.add(job.slurmJobId());
                }
            }
            if (!purged.isEmpty()) {
                try {
                    known.putAll(commands.finishedJobs(purged));
                } catch (SlurmCommandException e) {
                    purgedAnswered = false;
                    failing(e);
                }
            }
            if (purgedAnswered) {
                recovered();
            }
        } catch (SlurmCommandException e) {
            failing(e);
        }
        for (SlurmTrainingJob job : jobs) {
            SlurmJobStatus status = known == null ? null : known.get(job.slurmJobId());
            boolean answered = known != null && (status != null || purgedAnswered);
            job.observe(status, answered);
        }
    }

    /** Returns once no poll is running; the caller has already stopped further polls from being scheduled. */
    synchronized void awaitIdle() {
        // holding the monitor is the wait: poll() holds it too
    }

    private void failing(SlurmCommandException e) {
        if (!slurmFailing) {
            LOG.warn(
                    "Cannot read job states from Slurm; following the jobs' event files until it answers: {}",
                    e.getMessage());
            slurmFailing = true;
        } else {
            LOG.debug("Slurm still does not answer: {}", e.getMessage());
        }
    }

    private void recovered() {
        if (slurmFailing) {
            LOG.info("Slurm answers again");
            slurmFailing = false;
        }
    }
}
