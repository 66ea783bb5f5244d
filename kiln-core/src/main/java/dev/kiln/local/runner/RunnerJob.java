package dev.kiln.local.runner;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.Progress;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * A LOCAL job as its runner sees it: what to train, and the hooks the runner reports back through. Only runners get
 * one; the future a caller holds does not expose these hooks.
 */
public interface RunnerJob {
    /** The training id. */
    String id();

    /** The module type being trained. */
    ModuleType<?, ?> moduleType();

    /** The module's identity. */
    ModuleDescriptor module();

    /** The typed parameters; null once the job has ended. */
    Object parameters();

    /** The job's current state. */
    JobInfo info();

    /** Where the model is saved, if anywhere. */
    Optional<Path> savePath();

    /**
     * Gives a job that has no save path one chosen by its runner, such as a directory of the job's own; the runner
     * saves there and {@code load()} reads from there. Ignored when the job already has a save path.
     */
    void saveTo(Path path);

    /** The training's checkpoints, in a directory that outlives each attempt. */
    CheckpointStore checkpoints();

    /** Whether the worker should stop: the job was cancelled or timed out. */
    boolean isStopRequested();

    /** The trainer's clock reading, for progress times. */
    Instant now();

    /** Records a progress report. */
    void progress(Progress progress);

    /**
     * The training finished and (if it has a save path) saved.
     *
     * @param result the model in memory, or null when it lives only at the save path
     * @return false when the job had already ended (cancelled or timed out); the saved model is then removed
     */
    boolean succeeded(Model result, long trainNanos, long saveNanos);

    /**
     * The training failed; ignored if the job already ended (cancelled or timed out).
     *
     * @return whether this call ended the job
     */
    boolean failed(JobError error);

    /** The worker has let go of the job: it ran to the end, failed, or stopped after a cancel. */
    void workerFinished();

    /**
     * What the runner keeps on the job for its current attempt, as {@link #attach} left it; null until then. A runner
     * so finds its own record of a job from the job, without a map keyed by jobs.
     */
    Object attachment();

    /** Keeps {@code value} on the job for its runner, in place of what it kept before; null keeps nothing. */
    void attach(Object value);
}
