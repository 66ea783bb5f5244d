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
