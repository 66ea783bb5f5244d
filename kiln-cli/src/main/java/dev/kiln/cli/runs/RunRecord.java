package dev.kiln.cli.runs;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One local training as recorded on disk by the kiln process that runs it.
 *
 * @param training the latest snapshot the owner wrote
 * @param pid the owner process's id
 * @param pidStarted when the owner process started, to tell it from a later process with the same id
 */
public record RunRecord(TrainingSnapshot training, long pid, Instant pidStarted) {
    public RunRecord {
        Objects.requireNonNull(training, "training");
    }

    /** A record owned by this process. */
    public static RunRecord ownedByThisProcess(TrainingSnapshot training) {
        ProcessHandle self = ProcessHandle.current();
        return new RunRecord(training, self.pid(), self.info().startInstant().orElse(null));
    }

    /** The owner process, if it is still running. */
    public Optional<ProcessHandle> owner() {
        return ProcessHandle.of(pid)
                .filter(ProcessHandle::isAlive)
                .filter(p -> pidStarted == null
                        || p.info().startInstant().map(pidStarted::equals).orElse(true));
    }

    /**
     * The training as it stands: a training that never ended but whose owner is gone is shown ERRORED, since
     * nothing will ever finish it.
     */
    public TrainingSnapshot current(Instant now) {
        if (training.state().isTerminal() || owner().isPresent()) {
            return training;
        }
        return training.ended(
                JobStatus.ERRORED,
                List.of(JobError.of(
                        JobError.Kind.PROCESS_DIED,
                        "The kiln process that ran training " + training.trainingId() + " (pid " + pid
                                + ") ended before the training did")),
                now);
    }
}
