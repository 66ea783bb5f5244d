package dev.kiln.slurm.jobdir;

import dev.kiln.worker.JobSpec;
import dev.kiln.worker.WorkerProtocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * The files of one training under the shared work directory, {@code <work_dir>/<training id>/}.
 *
 * @param path the directory
 */
public record SlurmJobDirectory(Path path) {
    /** The job spec the worker reads. */
    public static final String SPEC = WorkerProtocol.SPEC_FILE;
    /** The events the worker appends, one JSON object per line. */
    public static final String EVENTS = WorkerProtocol.EVENTS_FILE;
    /** The batch script handed to sbatch. */
    public static final String SCRIPT = "job.sh";
    /** Where Slurm writes the job's standard output and error. */
    public static final String OUTPUT = "slurm.out";
    /** The trainer's record of the job. */
    public static final String RECORD = "job.json";
    /** Where the worker saves the model of a training that was given no save path. */
    public static final String MODEL = "model";

    public SlurmJobDirectory {
        Objects.requireNonNull(path, "path");
    }

    /** The directory of a training under a work directory. */
    public static SlurmJobDirectory of(Path workDir, String trainingId) {
        return new SlurmJobDirectory(workDir.resolve(trainingId));
    }

    /** The training's checkpoints, kept across its attempts: a requeued or resubmitted worker resumes from them. */
    public Path checkpoints() {
        return path.resolve("checkpoints");
    }

    /** The job spec the worker reads. */
    public Path spec() {
        return path.resolve(SPEC);
    }

    /** The events the worker appends. */
    public Path events() {
        return path.resolve(EVENTS);
    }

    /** The batch script handed to sbatch. */
    public Path script() {
        return path.resolve(SCRIPT);
    }

    /** Slurm's output file for the job. */
    public Path output() {
        return path.resolve(OUTPUT);
    }

    /** The trainer's record of the job. */
    public Path record() {
        return path.resolve(RECORD);
    }

    /** Where the model goes when the training was given no save path. */
    public Path model() {
        return path.resolve(MODEL);
    }

    /**
     * Writes the worker's job spec, atomically.
     *
     * @throws IOException if it cannot be written
     */
    public void writeSpec(JobSpec spec) throws IOException {
        AtomicFiles.write(spec(), spec.toJson());
    }
}
