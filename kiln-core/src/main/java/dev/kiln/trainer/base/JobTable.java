package dev.kiln.trainer.base;

import dev.kiln.error.KilnException;
import dev.kiln.trainer.ModelFuture;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
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
    private final ConcurrentLinkedQueue<J> finished = new ConcurrentLinkedQueue<>();
    private final ReentrantLock purging = new ReentrantLock();
    private final AtomicLong examined = new AtomicLong();
    /**
     * Before this instant no finished job can be due: the oldest one's end plus the retention, as last seen by a
     * purge; {@link Instant#MIN} when no finished job had been seen. Lets a submission skip the purge with one
     * comparison.
     */
    private volatile Instant nothingDueBefore = Instant.MIN;

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
            finished.add(job);
        }
    }

    /** Jobs that had already ended when they were found again, in any order. */
    public void finishedEarlier(Collection<J> ended) {
        if (retention != null) {
            ended.stream()
                    .sorted(Comparator.comparing(
                            j -> j.info().completed(), Comparator.nullsFirst(Comparator.naturalOrder())))
                    .forEach(finished::add);
        }
    }

    /**
     * Removes every job that ended more than the retention before {@code now}, oldest first, and hands each one the
     * table still held (not one replaced since under its id) to {@code purge}. A purge already under way on another
     * thread is left to finish the work.
     */
    public void purgeExpired(Instant now, Consumer<J> purge) {
        if (retention == null || now.isBefore(nothingDueBefore) || finished.isEmpty() || !purging.tryLock()) {
            return;
        }
        purgeLocked(now, purge);
    }

    /** As {@link #purgeExpired(Instant, Consumer)}, reading {@code clock} only when a finished job may be due. */
    public void purgeExpired(Clock clock, Consumer<J> purge) {
        if (retention == null || finished.isEmpty()) {
            return;
        }
        purgeExpired(clock.instant(), purge);
    }

    private void purgeLocked(Instant now, Consumer<J> purge) {
        try {
            Instant cutoff = now.minus(retention);
            Instant due = Instant.MIN;
            J head;
            while ((head = finished.peek()) != null) {
                examined.incrementAndGet();
                Instant completed = head.info().completed();
                if (completed != null && completed.isAfter(cutoff)) {
                    due = completed.plus(retention);
                    break;
                }
                finished.poll();
                if (jobs.remove(head.id(), head)) {
                    purge.accept(head);
                }
            }
            nothingDueBefore = due;
        } finally {
            purging.unlock();
        }
    }

    /** How many finished jobs purges have examined: a measure of their cost. */
    public long purgeExamined() {
        return examined.get();
    }
}
