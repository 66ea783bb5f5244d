package dev.kiln.local.runner;

/**
 * Runs LOCAL jobs somewhere: in a thread of this JVM or in a child JVM. The trainer owns queueing, retention and
 * save paths; a runner only starts a job, stops it when asked, and reports back through the job.
 */
public interface JobRunner extends AutoCloseable {
    /**
     * Starts the job's training asynchronously. The job is already RUNNING. The runner must end by calling
     * {@link RunnerJob#succeeded}, {@link RunnerJob#failed} (unless the job was cancelled) and then, always,
     * {@link RunnerJob#workerFinished()}.
     */
    void start(RunnerJob job);

    /**
     * Runs a started job on the calling thread, which is about to wait for it, if no worker has begun it yet: the
     * caller then needs no other thread to wake it. Exactly one of the caller and the worker runs the job; the other
     * does nothing. The runner restores what the job changed on the calling thread (the logging context, the context
     * class loader, an interrupt meant for the job).
     *
     * @return whether the job ran here; false when a worker has it, it is queued, or the runner cannot run it here
     */
    default boolean runHere(RunnerJob job) {
        return false;
    }

    /** Asks a running job's worker to stop; the job is already CANCELED or ERRORED (timed out). */
    void stop(RunnerJob job);

    /**
     * Asks a running job's training to save a checkpoint at its next chance and go on, as Slurm's SIGUSR1 does; the
     * module decides whether and when ({@link dev.kiln.module.TrainingContext#checkpointRequested()}).
     *
     * @return whether the request reached the training; false when its worker is not running or cannot be asked
     */
    default boolean requestCheckpoint(RunnerJob job) {
        return false;
    }

    /** The job's captured output; empty when the runner captures none. */
    default String logs(RunnerJob job) {
        return "";
    }

    /** The trainer forgot a finished job after its retention; the runner may delete what it kept for it. */
    default void purged(RunnerJob job) {}

    /** Releases the runner's resources. */
    @Override
    void close();
}
