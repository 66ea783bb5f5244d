package dev.kiln.local;

import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.Comparator;
import java.util.PriorityQueue;
import java.util.function.BiConsumer;

/**
 * Holds jobs beyond {@code max_concurrent_jobs} in a queue and starts them as slots free up: the highest priority
 * first, and among equal priorities the earliest submitted (a resumed training keeps its first submission time, so
 * its place), then the first handed over.
 */
final class Dispatcher {
    private static final Comparator<Waiting> ORDER = Comparator.comparingInt((Waiting w) -> -w.priority())
            .thenComparing(w -> w.job().info().submitted())
            .thenComparingLong(Waiting::sequence);

    private record Waiting(LocalTrainingJob job, int priority, long sequence) {}

    private final int limit;
    /** Starts a job at the given time, or at the clock's reading when given null. */
    private final BiConsumer<LocalTrainingJob, Instant> launch;

    private final PriorityQueue<Waiting> waiting = new PriorityQueue<>(ORDER); // guarded by this
    private long handedOver; // guarded by this
    private int running; // guarded by this

    /** @param limit the most jobs running at once; 0 means no limit */
    Dispatcher(int limit, BiConsumer<LocalTrainingJob, Instant> launch) {
        this.limit = limit;
        this.launch = launch;
    }

    /**
     * Starts the job now if a slot is free, or queues it.
     *
     * @param now the submission's clock reading, the start time of a job that takes a slot at once
     */
    void submit(LocalTrainingJob job, Instant now) {
        if (limit > 0) {
            synchronized (this) {
                if (running >= limit) {
                    waiting.add(new Waiting(job, job.options().priority(), handedOver++));
                    return;
                }
                running++;
            }
        }
        launch.accept(job, now);
    }

    /** A job's worker let go of its slot; the next queued job takes it. */
    void released() {
        if (limit == 0) {
            return;
        }
        LocalTrainingJob next = null;
        synchronized (this) {
            running--;
            while (!waiting.isEmpty()) {
                LocalTrainingJob candidate = waiting.poll().job();
                if (candidate.status() == JobStatus.QUEUED) {
                    running++;
                    next = candidate;
                    break;
                }
            }
        }
        if (next != null) {
            launch.accept(next, null);
        }
    }

    /** Removes a cancelled job from the queue; false if it was not waiting. */
    synchronized boolean remove(LocalTrainingJob job) {
        return waiting.removeIf(w -> w.job() == job);
    }

    /** How many jobs wait for a slot. */
    synchronized int queued() {
        return waiting.size();
    }

    /** How many jobs hold a slot (only counted when there is a limit). */
    synchronized int running() {
        return running;
    }
}
