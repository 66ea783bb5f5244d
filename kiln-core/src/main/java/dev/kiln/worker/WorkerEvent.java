package dev.kiln.worker;

import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import java.nio.file.Path;
import java.time.Instant;

/** A message from a worker to whoever started it; {@link WorkerEvents} reads and writes them as JSON lines. */
public sealed interface WorkerEvent {

    /** Whether this event ends the job: completed, failed or cancelled. */
    default boolean isTerminal() {
        return false;
    }

    /**
     * A pipe-mode worker is up and waiting for its spec.
     *
     * @param protocol the protocol version the worker speaks
     * @param pid the worker's process id
     */
    record Ready(int protocol, long pid) implements WorkerEvent {}

    /** The worker read its spec and begins training. */
    record Started(long pid, Instant timestamp) implements WorkerEvent {}

    /** The training reported progress. */
    record Progressed(Progress progress) implements WorkerEvent {}

    /** A pipe-mode worker is alive; sent at a fixed interval while it works. */
    record Heartbeat(Instant timestamp) implements WorkerEvent {}

    /**
     * The model is trained and saved.
     *
     * @param savePath where it was saved, or null when the spec asked for no save
     * @param trainMillis how long training took
     * @param saveMillis how long saving took
     */
    record Completed(Path savePath, double trainMillis, double saveMillis, Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /** The training failed; the error is as the worker recorded it. */
    record Failed(JobError error, Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /** The training stopped after SIGTERM; partial save output was removed. */
    record Cancelled(Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }
}
