package dev.kiln.trainer.base;

import dev.kiln.error.KilnException;
import dev.kiln.trainer.ModelFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A trainer's jobs by training id, and its finished jobs in completion order so that purging after
 * {@code retention_duration} costs only the jobs it purges. Without a retention finished jobs are kept for ever.
 *
 * @param <J> the trainer's own job type
 */
public final class JobTable<J extends ModelFuture> {
    private final Duration retention;
    private final ConcurrentHashMap<String, J> jobs = new ConcurrentHashMap<>();
    /** Finished jobs in the order they ended; an array, so a retained job costs one slot rather than a node. */
    private final ArrayDeque<J> finished = new ArrayDeque<>(); // guarded by itself

    private final ReentrantLock purging = new ReentrantLock();
    private final AtomicLong examined = new AtomicLong();
    /**
     * Before this instant no finished job can be due: the oldest one's end plus the retention, as last seen by a
     * purge; {@link Instant#MAX} while no job waits, {@link Instant#MIN} when one may be due. Lets a submission skip
     * the purge with one comparison. Written under the monitor of {@link #finished}.
     */
    private volatile Instant nothingDueBefore = Instant.MAX;

    /** @param retention how long finished jobs are kept, or null for ever */
    public JobTable(Duration retention) {
        this.retention = retention;
    }

    /**
     * Puts {@code job} under its id unless a job with that id is still running.
     *
     * @return the finished job it replaced, or null
     * @throws KilnException CONFLICT if the id names a job that has not ended
     */
    public J claim(J job) {
        if (jobs.putIfAbsent(job.id(), job) == null) {
            return null;
        }
        List<J> replaced = new ArrayList<>(1);
        jobs.compute(job.id(), (id, existing) -> {
            if (existing != null && !existing.info().status().isTerminal()) {
                throw KilnException.conflict("Cannot restart training " + id + " that is currently running");
            }
            if (existing != null) {
                replaced.add(existing);
            }
            return job;
        });
        return replaced.isEmpty() ? null : replaced.get(0);
    }

    /** Takes back a {@link #claim} whose submission failed: the job it replaced, if any, is back in the table. */
    public void unclaim(J job, J replaced) {
        jobs.remove(job.id(), job);
        if (replaced != null) {
            jobs.putIfAbsent(replaced.id(), replaced);
        }
    }

    /** Puts a job found again (such as one re-attached from its record) under its id. */
    public void add(J job) {
        jobs.put(job.id(), job);
    }

    public Optional<J> get(String trainingId) {
        return Optional.ofNullable(jobs.get(trainingId));
    }

    /** The job under {@code trainingId}, or null: {@link #get} without the {@code Optional}, for paths every job takes. */
    J getOrNull(String trainingId) {
        return jobs.get(trainingId);
    }

    /** Every job, the latest submitted first. */
    public List<ModelFuture> newestFirst() {
        List<ModelFuture> all = new ArrayList<>(jobs.values());
        all.sort(Comparator.comparing((ModelFuture f) -> f.info().submitted()).reversed());
        return all;
    }

    /** Every job, in no order. */
    public List<J> all() {
        return List.copyOf(jobs.values());
    }

    /** A job just ended; it is purged once the retention has passed. */
    public void finished(J job) {
        if (retention != null) {
            synchronized (finished) {
                finished.addLast(job);
                if (finished.size() == 1) {
                    nothingDueBefore = Instant.MIN;
                }
            }
        }
    }

    /** Jobs that had already ended when they were found again, in any order. */
    public void finishedEarlier(Collection<J> ended) {
        if (retention != null) {
            List<J> sorted = ended.stream()
                    .sorted(Comparator.comparing(
                            j -> j.info().completed(), Comparator.nullsFirst(Comparator.naturalOrder())))
                    .toList();
            synchronized (finished) {
                finished.addAll(sorted);
                nothingDueBefore = Instant.MIN;
            }
        }
    }

    /**
     * Removes every job that ended more than the retention before {@code now}, oldest first, and hands each one the
     * table still held (not one replaced since under its id) to {@code purge}. A purge already under way on another
     * thread is left to finish the work.
     */
    public void purgeExpired(Instant now, Consumer<J> purge) {
        if (retention == null || now.isBefore(nothingDueBefore) || !purging.tryLock()) {
            return;
        }
        purgeLocked(now, purge);
    }

    /** As {@link #purgeExpired(Instant, Consumer)}, reading {@code clock} only when a finished job may be due. */
    public void purgeExpired(Clock clock, Consumer<J> purge) {
        if (retention == null || nothingDueBefore.equals(Instant.MAX)) {
            return;
        }
        purgeExpired(clock.instant(), purge);
    }

    private void purgeLocked(Instant now, Consumer<J> purge) {
        try {
            Instant cutoff = now.minus(retention);
            J head;
            while ((head = expiredHead(cutoff)) != null) {
                if (jobs.remove(head.id(), head)) {
                    purge.accept(head);
                }
            }
        } finally {
            purging.unlock();
        }
    }

    /** Takes the oldest finished job if it ended at or before {@code cutoff}; null when none did. */
    private J expiredHead(Instant cutoff) {
        synchronized (finished) {
            J head = finished.peekFirst();
            if (head == null) {
                nothingDueBefore = Instant.MAX;
                return null;
            }
            examined.incrementAndGet();
            Instant completed = head.info().completed();
            if (completed != null && completed.isAfter(cutoff)) {
                nothingDueBefore = completed.plus(retention);
                return null;
            }
            return finished.pollFirst();
        }
    }

    /** How many finished jobs purges have examined: a measure of their cost. */
    public long purgeExamined() {
        return examined.get();
    }
}
