package dev.kiln.slurm;

import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.slurm.scheduler.SlurmState;
import dev.kiln.worker.WorkerEvent;
import java.util.List;
import java.util.Optional;

/**
 * How a training ends. The worker's {@code completed} and {@code failed} events decide at once (a failure carries
 * the module's type, message and stack). Otherwise Slurm's final state decides: CANCELLED means cancelled, TIMEOUT,
 * PREEMPTED, NODE_FAIL and the like are errors naming the state and exit code, and a job Slurm calls COMPLETED
 * without the worker's result is an error too. A worker JVM that ran out of heap says so in its output, and the
 * error then is an out-of-memory one. NODE_FAIL, BOOT_FAIL and PREEMPTED ends are {@linkplain #retryable retried}
 * before they come here. The worker's {@code cancelled} event decides nothing: it only says
 * the worker stopped on a signal, and Slurm knows why it was sent (scancel, the time limit, preemption).
 *
 * @param status the terminal status
 * @param errors the errors, empty unless ERRORED
 */
record SlurmOutcome(JobStatus status, List<JobError> errors) {
    /** What {@code -XX:+ExitOnOutOfMemoryError} prints before the JVM exits. */
    static final String OUT_OF_MEMORY_LINE = "Terminating due to java.lang.OutOfMemoryError";

    SlurmOutcome {
        errors = List.copyOf(errors);
    }

    /**
     * Whether a job that ended in this state failed for the cluster's reasons, not the training's, so that another
     * attempt (resuming from the checkpoint) is worth making: its node failed or never booted, or it was preempted.
     */
    static boolean retryable(SlurmState state) {
        return state == SlurmState.NODE_FAIL || state == SlurmState.BOOT_FAIL || state == SlurmState.PREEMPTED;
    }

    /** The outcome a {@code completed} or {@code failed} event decides on its own, if this is one. */
    static Optional<SlurmOutcome> fromWorker(WorkerEvent event) {
        if (event instanceof WorkerEvent.Completed) {
            return Optional.of(new SlurmOutcome(JobStatus.COMPLETED, List.of()));
        }
        if (event instanceof WorkerEvent.Failed failed) {
            return Optional.of(new SlurmOutcome(JobStatus.ERRORED, List.of(failed.error())));
        }
        return Optional.empty();
    }

    /**
     * The outcome of a job Slurm reports finished, when the worker wrote no {@code completed} or {@code failed}, on
     * the training's {@code attempt}; an attempt after the first is named in the message.
     *
     * @param outputTail the end of the job's output, kept with an error
     */
    static SlurmOutcome fromSlurm(SlurmJobStatus finished, String trainingId, String outputTail, int attempt) {
        if (!finished.state().isFinished()) {
            throw new IllegalArgumentException(finished + " is not a final state");
        }
        if (finished.state() == SlurmState.CANCELLED) {
            return new SlurmOutcome(JobStatus.CANCELED, List.of());
        }
        String what = "Slurm job " + finished.jobId() + " of training " + trainingId + " " + finished.describeEnd()
                + (attempt > 1 ? " on attempt " + attempt : "");
        if (outputTail != null && outputTail.contains(OUT_OF_MEMORY_LINE)) {
            return new SlurmOutcome(
                    JobStatus.ERRORED,
                    List.of(new JobError(
                            JobError.Kind.OUT_OF_MEMORY,
                            OutOfMemoryError.class.getName(),
                            what + ": the worker ran out of Java heap",
                            "Last output of the job:\n" + outputTail)));
        }
        if (finished.state() == SlurmState.COMPLETED) {
            return error(JobError.Kind.PROCESS_DIED, what + ", but the worker reported no result", outputTail);
        }
        return error(JobError.Kind.SCHEDULER, what, outputTail);
    }

    /** The outcome of a job Slurm no longer knows anything about. */
    static SlurmOutcome lost(String slurmJobId, String trainingId) {
        return error(
                JobError.Kind.SCHEDULER,
                "Slurm job " + slurmJobId + " of training " + trainingId + " is no longer known to squeue or sacct",
                "");
    }

    private static SlurmOutcome error(JobError.Kind kind, String message, String outputTail) {
        String stack = outputTail == null || outputTail.isBlank() ? "" : "Last output of the job:\n" + outputTail;
        return new SlurmOutcome(JobStatus.ERRORED, List.of(new JobError(kind, kind.name(), message, stack)));
    }
}
