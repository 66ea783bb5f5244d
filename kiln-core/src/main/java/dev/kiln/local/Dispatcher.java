package dev.kiln.local;

import dev.kiln.job.JobStatus;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/** Holds jobs beyond {@code max_concurrent_jobs} in a FIFO queue and starts them as slots free up. */
final class Dispatcher {
    private final int limit;
    private final Consumer<LocalTrainingJob> launch;
    private final ArrayDeque<LocalTrainingJob> waiting = new ArrayDeque<>(); // guarded by this
    private int running; // guarded by this

    /** @param limit the most jobs running at once; 0 means no limit */
    Dispatcher(int limit, Consumer<LocalTrainingJob> launch) {
        this.limit = limit;
        this.launch = launch;
    }

    void submit(LocalTrainingJob job) {
        if (limit > 0) {
            synchronized (this) {
                if (running >= limit) {
                    waiting.addLast(job);
                    return;
                }
                running++;
            }
        }
        launch.accept(job);
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
                LocalTrainingJob candidate = waiting.pollFirst();
                if (candidate.info().status() == JobStatus.QUEUED) {
                    running++;
                    next = candidate;
                    break;
                }
            }
        }
        if (next != null) {
            launch.accept(next);
        }
    }

    /** Removes a cancelled job from the queue; false if it was not waiting. */
    synchronized boolean remove(LocalTrainingJob job) {
        return waiting.remove(job);
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
