package dev.kiln.slurm.jobdir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.TrainOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The trainer's record of one Slurm training, kept as {@code job.json} in its directory so that the job outlives
 * the process that submitted it: a later trainer on the same work directory re-attaches from it.
 *
 * @param format the record format version
 * @param trainingId the training id
 * @param slurmJobId the Slurm job id, or null while the job is being submitted
 * @param module the module being trained
 * @param options the options the training was started with
 * @param savePath the resolved save path, or null
 * @param savePathExisted whether the save path existed before the training (then it is never deleted on purge)
 * @param sbatchArguments the options passed to sbatch
 * @param status the last status the trainer recorded
 * @param errors the errors that ended the job
 * @param submitted when it was submitted
 * @param started when it was seen running, or null
 * @param completed when it was seen ending, or null
 * @param slurmState the final Slurm state once Slurm reported one, or null
 * @param exitCode the final exit code as {@code code:signal}, or null
 * @param earlierAttempts the attempts made in the training's earlier Slurm jobs, which ended NODE_FAIL, BOOT_FAIL
 *     or PREEMPTED and were submitted again (0 when absent)
 * @param restarts how many times Slurm has requeued the current Slurm job, as last reported (0 when absent)
 * @param attempts the attempts of the training's snapshot, as the trainer last recorded them (empty in a record
 *     written before attempts were kept)
 */
public record SlurmJobRecord(
        int format,
        String trainingId,
        String slurmJobId,
        ModuleDescriptor module,
        RecordedOptions options,
        String savePath,
        boolean savePathExisted,
        List<String> sbatchArguments,
        JobStatus status,
        List<JobError> errors,
        Instant submitted,
        Instant started,
        Instant completed,
        String slurmState,
        String exitCode,
        Integer earlierAttempts,
        Integer restarts,
        List<Attempt> attempts) {
    /** The format this version writes. */
    public static final int FORMAT = 1;

    private static final ObjectMapper JSON = KilnJson.data();

    public SlurmJobRecord {
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(submitted, "submitted");
        sbatchArguments = sbatchArguments == null ? List.of() : List.copyOf(sbatchArguments);
        errors = errors == null ? List.of() : List.copyOf(errors);
        earlierAttempts = earlierAttempts == null ? 0 : earlierAttempts;
        restarts = restarts == null ? 0 : restarts;
        attempts = attempts == null ? List.of() : List.copyOf(attempts);
    }

    /** The record of a training about to be submitted. */
    public static SlurmJobRecord submitting(
            JobInfo info,
            ModuleDescriptor module,
            TrainOptions options,
            Path savePath,
            boolean savePathExisted,
            List<String> sbatchArguments) {
        SlurmJobRecord blank = new SlurmJobRecord(
                FORMAT,
                info.id(),
                null,
                module,
                RecordedOptions.of(options),
                savePath == null ? null : savePath.toString(),
                savePathExisted,
                sbatchArguments,
                info.status(),
                null,
                info.submitted(),
                null,
                null,
                null,
                null,
                0,
                0,
                null);
        return blank.withInfo(info);
    }

    /** This record with the Slurm job id sbatch gave. */
    public SlurmJobRecord withSlurmJobId(String id) {
        return copy(id, info(), slurmState, exitCode, earlierAttempts, restarts);
    }

    /** This record with the status, errors, times and attempts of a snapshot. */
    public SlurmJobRecord withInfo(JobInfo info) {
        return copy(slurmJobId, info, slurmState, exitCode, earlierAttempts, restarts);
    }

    /** This record with the job's final Slurm state and exit code. */
    public SlurmJobRecord withSlurmResult(String state, String exit) {
        return copy(slurmJobId, info(), state, exit, earlierAttempts, restarts);
    }

    /** This record with the restart count Slurm reports for the current Slurm job. */
    public SlurmJobRecord withRestarts(int count) {
        return copy(slurmJobId, info(), slurmState, exitCode, earlierAttempts, count);
    }

    /**
     * This record for the training's next Slurm job, submitted again after {@code slurmJobId} ended: its attempts
     * count as earlier ones, and Slurm's final word on it is cleared.
     */
    public SlurmJobRecord resubmittedAs(String nextSlurmJobId) {
        return copy(nextSlurmJobId, info(), null, null, attempt(), 0);
    }

    /** This record with the parts that change over a training's life replaced; what it was submitted with stays. */
    private SlurmJobRecord copy(String jobId, JobInfo info, String state, String exit, int earlier, int restartCount) {
        return new SlurmJobRecord(
                format,
                trainingId,
                jobId,
                module,
                options,
                savePath,
                savePathExisted,
                sbatchArguments,
                info.status(),
                info.errors(),
                info.submitted(),
                info.started(),
                info.completed(),
                state,
                exit,
                earlier,
                restartCount,
                info.attempts());
    }

    /** The current attempt, counting from 1: every earlier Slurm job's attempts and the current job's requeues. */
    public int attempt() {
        return earlierAttempts + restarts + 1;
    }

    /** The snapshot this record holds, without progress (that is read back from the event file). */
    public JobInfo info() {
        return new JobInfo(trainingId, status, errors, submitted, started, completed, null, attempts);
    }

    /** The resolved save path, or null. */
    public Path savePathAsPath() {
        return savePath == null ? null : Path.of(savePath);
    }

    /**
     * Reads a record file.
     *
     * @throws IOException if the file cannot be read or is not a job record
     */
    public static SlurmJobRecord read(Path file) throws IOException {
        try {
            SlurmJobRecord record = JSON.readValue(Files.readString(file), SlurmJobRecord.class);
            if (record == null) {
                throw new IOException("Job record " + file + " is empty");
            }
            return record;
        } catch (JsonProcessingException | IllegalArgumentException | NullPointerException e) {
            throw new IOException("Job record " + file + " is not a valid job record: " + e.getMessage(), e);
        }
    }

    /** Writes the record to its file in the job directory, atomically. */
    public void writeTo(SlurmJobDirectory dir) throws IOException {
        AtomicFiles.write(dir.record(), JSON.writerWithDefaultPrettyPrinter().writeValueAsString(this));
    }

    /**
     * The train options as recorded, with paths as text.
     *
     * @param savePath the save path as given, or null
     * @param saveWithId whether the id was appended
     * @param externalTrainingId the caller's id, or null
     * @param modelName the model name, or null
     * @param priority the priority (0 when absent)
     */
    public record RecordedOptions(
            String savePath, boolean saveWithId, String externalTrainingId, String modelName, Integer priority) {
        public RecordedOptions {
            priority = priority == null ? 0 : priority;
        }

        static RecordedOptions of(TrainOptions o) {
            return new RecordedOptions(
                    o.savePath() == null ? null : o.savePath().toString(),
                    o.saveWithId(),
                    o.externalTrainingId(),
                    o.modelName(),
                    o.priority());
        }

        /** The options as the trainer SPI has them. */
        public TrainOptions toTrainOptions() {
            return new TrainOptions(
                    savePath == null ? null : Path.of(savePath), saveWithId, externalTrainingId, modelName, priority);
        }
    }
}
