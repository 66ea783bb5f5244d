package dev.kiln.local.child;

import java.io.IOException;

/** Where a job gets its worker JVM: started for it ({@code spawn}) or taken from a pool ({@code forkserver}). */
interface WorkerSource extends AutoCloseable {
    /**
     * A worker for one job; it is the caller's from now on.
     *
     * @throws IOException if no JVM could be started
     */
    ChildProcess acquire() throws IOException;

    /**
     * An idle worker that can take a job without a JVM being started or waited for, or null when there is none; it
     * is the caller's from now on, as if {@link #acquire()} had returned it.
     */
    default ChildProcess takeIdle() {
        return null;
    }

    /** Stops any idle workers. */
    @Override
    void close();

    /** A job that took a worker from here has ended and its worker has exited (or never started). */
    default void jobFinished() {}
}
