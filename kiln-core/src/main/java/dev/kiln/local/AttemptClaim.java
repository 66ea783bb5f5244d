package dev.kiln.local;

/**
 * One thread-mode attempt from its start to its end, kept on its job ({@link
 * dev.kiln.local.runner.RunnerJob#attach}): whoever claims it first runs it (a pool thread or a caller waiting for
 * the job), and a stop either claims it so that it never runs or interrupts its worker while it runs there.
 *
 * <p>Each change is a short critical section on this object, which only its runner sees.
 */
final class AttemptClaim {
    private boolean claimed; // guarded by this
    private LocalTrainingContext running; // guarded by this

    /** Whether the calling thread now runs the attempt: true for the first to ask, never after a {@link #stop}. */
    synchronized boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** The attempt runs with {@code context} on its thread: a stop interrupts that thread until {@link #ended}. */
    synchronized void running(LocalTrainingContext context) {
        running = context;
    }

    /**
     * The attempt has let go of its thread: nothing interrupts that thread for it any more. Called before the worker
     * clears its interrupt flag, so an interrupt of a stop never reaches the thread's next job.
     */
    synchronized void ended() {
        running = null;
    }

    /**
     * Stops the attempt: claims it if nobody has, so it never runs (true: its worker's part falls to the caller), or
     * else interrupts its worker while the attempt runs (false).
     */
    synchronized boolean stop() {
        if (!claimed) {
            claimed = true;
            return true;
        }
        if (running != null) {
            running.interruptWorker();
        }
        return false;
    }

    /** The context of the attempt while it runs on its thread, or null. */
    synchronized LocalTrainingContext context() {
        return running;
    }
}
