package dev.kiln.slurm;

import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * Keeps finished jobs for the retention period, in completion order, so a purge costs only the jobs it purges.
 * Without a retention nothing is ever queued or purged.
 */
final class JobRetention {
    private final Duration retention;
    private final ConcurrentLinkedQueue<SlurmTrainingJob> finished = new ConcurrentLinkedQueue<>();
    private final ReentrantLock purging = new ReentrantLock();

    /** @param retention how long finished jobs are kept, or null for ever */
    JobRetention(Duration retention) {
        this.retention = retention;
    }

    /** A job just finished. */
    void finished(SlurmTrainingJob job) {
        if (retention != null) {
            finished.add(job);
        }
    }

    /** Jobs that were already finished when re-attached, in any order. */
    void finishedEarlier(List<SlurmTrainingJob> jobs) {
        if (retention != null) {
            jobs.stream().sorted(Comparator.comparing(j -> j.info().completed(),
                    Comparator.nullsFirst(Comparator.naturalOrder()))).forEach(finished::add);
        }
    }

    /** Hands every job that finished more than the retention before {@code now} to {@code purge}, oldest first. */
    void purgeExpired(Instant now, Consumer<SlurmTrainingJob> purge) {
        if (retention == null || finished.isEmpty() || !purging.tryLock()) {
            return;
        }
        try {
            Instant cutoff = now.minus(retention);
            SlurmTrainingJob head;
            while ((head = finished.peek()) != null) {
                Instant completed = head.info().completed();
                if (completed != null && completed.isAfter(cutoff)) {
                    break;
                }
                finished.poll();
                purge.accept(head);
            }
        } finally {
            purging.unlock();
        }
    }
}
