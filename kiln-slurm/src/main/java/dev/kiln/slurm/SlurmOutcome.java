package dev.kiln.slurm;

import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.slurm.jobdir.WorkerEvent;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.slurm.scheduler.SlurmState;
import java.util.List;

/**
 * How a training ends: the worker's own terminal event decides when there is one (its error carries the module's
 * type, message and stack); otherwise Slurm's final state does, and a job Slurm calls COMPLETED without the
 * worker's result is an error.
 *
 * @param status the terminal status
 * @param errors the errors, empty unless ERRORED
 */
record SlurmOutcome(JobStatus status, List<JobError> errors) {
    SlurmOutcome {
        errors = List.copyOf(errors);
    }

    /** The outcome the worker reported. */
    static SlurmOutcome fromWorker(WorkerEvent terminal) {
        if (terminal instanceof WorkerEvent.Completed) {
            return new SlurmOutcome(JobStatus.COMPLETED, List.of());
        }
        if (terminal instanceof WorkerEvent.Failed failed) {
            return new SlurmOutcome(JobStatus.ERRORED, List.of(failed.error()));
        }
        if (terminal instanceof WorkerEvent.Cancelled) {
            return new SlurmOutcome(JobStatus.CANCELED, List.of());
        }
        throw new IllegalArgumentException(terminal + " does not end a training");
    }

    /**
     * The outcome of a job Slurm reports finished while the worker reported nothing final.
     *
     * @param outputTail the end of the job's output, kept with the error
     */
    static SlurmOutcome fromSlurm(SlurmJobStatus finished, String trainingId, String outputTail) {
        if (!finished.state().isFinished()) {
            throw new IllegalArgumentException(finished + " is not a final state");
        }
        if (finished.state() == SlurmState.CANCELLED) {
            return new SlurmOutcome(JobStatus.CANCELED, List.of());
        }
        String what = "Slurm job " + finished.jobId() + " of training " + trainingId + " " + finished.describeEnd();
        if (finished.state() == SlurmState.COMPLETED) {
            return error(JobError.Kind.PROCESS_DIED, what + ", but the worker reported no result", outputTail);
        }
        return error(JobError.Kind.SCHEDULER, what, outputTail);
    }

    /** The outcome of a job Slurm no longer knows anything about. */
    static SlurmOutcome lost(String slurmJobId, String trainingId) {
        return error(JobError.Kind.SCHEDULER, "Slurm job " + slurmJobId + " of training " + trainingId
                + " is no longer known to scontrol or sacct", "");
    }

    private static SlurmOutcome error(JobError.Kind kind, String message, String outputTail) {
        String stack = outputTail == null || outputTail.isBlank() ? "" : "Last output of the job:\n" + outputTail;
        return new SlurmOutcome(JobStatus.ERRORED, List.of(new JobError(kind, kind.name(), message, stack)));
    }
}
