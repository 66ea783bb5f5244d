package dev.kiln.local;

import dev.kiln.local.runner.JobRunner;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last checkpoint of the running trainings of a LOCAL trainer that closes for a restart: each training that has
 * saved a checkpoint (so its module checkpoints) is asked for one more, and the trainer waits, at most
 * {@code checkpoint_grace}, until each has saved a newer one or ended. The checkpoints are written by the training's
 * own process (a child JVM), so the wait watches the checkpoint directory. From the request on, a training's progress
 * is no longer recorded: the checkpoint it saves is at or after the last step recorded before the request, and the
 * steps it reports after it (until it is stopped) might not be in that checkpoint, so a restarted trainer would find
 * progress ahead of where the training resumes.
 */
final class RestartCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(RestartCheckpoint.class);
    private static final long POLL_MILLIS = 50;

    private RestartCheckpoint() {}

    /** Asks {@code running} for a checkpoint through {@code runner} and waits at most {@code grace} for them. */
    static void take(List<LocalTrainingJob> running, JobRunner runner, Duration grace) {
        if (grace.isZero()) {
            return;
        }
        Map<LocalTrainingJob, Long> asked = new LinkedHashMap<>();
        for (LocalTrainingJob job : running) {
            OptionalLong last = job.checkpoints().latestStep();
            if (last.isPresent()) {
                job.holdProgress(); // before the request: whatever the training reports after it may not be saved
                if (runner.requestCheckpoint(job.control())) {
                    asked.put(job, last.getAsLong());
                }
            }
        }
        if (asked.isEmpty()) {
            return;
        }
        LOG.info(
                "Asked {} running trainings for a checkpoint before stopping them; waiting up to {} ms: {}",
                asked.size(),
                grace.toMillis(),
                asked.keySet().stream().map(LocalTrainingJob::id).toList());
        long deadline = System.nanoTime() + grace.toNanos();
        while (!asked.isEmpty() && System.nanoTime() < deadline) {
            asked.entrySet().removeIf(e -> saved(e.getKey(), e.getValue()));
            if (!asked.isEmpty() && !pause()) {
                return;
            }
        }
        if (!asked.isEmpty()) {
            LOG.warn(
                    "{} trainings saved no new checkpoint within {} ms and resume from their previous one: {}",
                    asked.size(),
                    grace.toMillis(),
                    asked.keySet().stream().map(LocalTrainingJob::id).toList());
        }
    }

    /** Whether the job saved a checkpoint after step {@code before}, or ended (it saves no more then). */
    private static boolean saved(LocalTrainingJob job, long before) {
        if (job.info().status().isTerminal()) {
            return true;
        }
        OptionalLong now = job.checkpoints().latestStep();
        return now.isPresent() && now.getAsLong() > before;
    }

    private static boolean pause() {
        try {
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
