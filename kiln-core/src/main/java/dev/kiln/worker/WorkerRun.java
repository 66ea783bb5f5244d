package dev.kiln.worker;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.JobError;
import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.RetryableTrainingException;
import dev.kiln.module.TrainingCancelledException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/**
 * Runs one spec in this JVM: binds the parameters, trains, saves, and sends exactly one terminal event. The thread
 * that calls {@link #execute()} is the training thread; {@link #cancel()} may come from any other.
 */
final class WorkerRun {
    private final JobSpec spec;
    private final EventSink events;
    private final WorkerTrainingContext context;
    private final CheckpointStore checkpoints;
    /** The module to train, or null for the one the spec names in the registry. */
    private final ModuleType<?, ?> module;

    private volatile Thread trainingThread;

    WorkerRun(JobSpec spec, EventSink events) {
        this(spec, events, null);
    }

    /**
     * A run of the given module whatever the spec's module id says: the warm-up rehearses a job with a module of its
     * own that the registry does not list.
     */
    WorkerRun(JobSpec spec, EventSink events, ModuleType<?, ?> module) {
        this.spec = spec;
        this.events = events;
        this.module = module;
        this.checkpoints = spec.effectiveCheckpointDir() == null
                ? null
                : new CheckpointStore(spec.effectiveCheckpointDir(), spec.checkpointKeep());
        this.context = new WorkerTrainingContext(
                spec.trainingId(),
                events,
                spec.jobDir() == null ? null : spec.jobDir().resolve("scratch"),
                checkpoints);
    }

    /** Asks the training to stop: flips the context's flag and interrupts the training thread. */
    void cancel() {
        context.cancel();
        Thread t = trainingThread;
        if (t != null) {
            t.interrupt();
        }
    }

    /** Asks the training to save a checkpoint at its next chance; it goes on training. */
    void requestCheckpoint() {
        context.requestCheckpoint();
    }

    boolean isCancelled() {
        return context.isCancelled();
    }

    /** Trains and saves; returns the exit code that matches the terminal event sent. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    int execute() {
        trainingThread = Thread.currentThread();
        events.send(new WorkerEvent.Started(ProcessHandle.current().pid(), Instant.now()));
        CheckpointStore.Claim claim = null;
        try {
            if (spec.predict() != null) {
                return predicted();
            }
            claim = claimCheckpoints();
            ModuleType module =
                    this.module != null ? this.module : ModuleRegistry.global().byId(spec.moduleId());
            context.moduleName(module.descriptor().name());
            Object parameters = Parameters.bind(
                    module.parametersType(),
                    spec.parameters(),
                    module.descriptor().name(),
                    spec.dataFiles());
            module.validate(parameters);
            long t0 = System.nanoTime();
            Model model = module.train(parameters, context);
            long trained = System.nanoTime();
            if (isCancelled()) {
                return cancelled();
            }
            if (model == null) {
                throw new IllegalStateException("Module " + module.descriptor().name() + " returned no model");
            }
            Path saved = spec.savePath();
            if (saved != null) {
                try {
                    saved = ModelFormat.save(model, saved, spec.trainingId());
                } catch (RuntimeException e) {
                    return isCancelled() ? cancelled() : failed(JobError.of(JobError.Kind.SAVE_FAILED, e));
                }
            }
            long done = System.nanoTime();
            events.send(new WorkerEvent.Completed(saved, (trained - t0) / 1e6, (done - trained) / 1e6, Instant.now()));
            return WorkerProtocol.EXIT_COMPLETED;
        } catch (TrainingCancelledException e) {
            return isCancelled() ? cancelled() : failed(JobError.of(JobError.Kind.EXCEPTION, e));
        } catch (OutOfMemoryError e) {
            return failed(JobError.of(JobError.Kind.OUT_OF_MEMORY, e));
        } catch (Throwable t) {
            return isCancelled() ? cancelled() : failed(JobError.of(kindOf(t), t));
        } finally {
            if (claim != null) {
                claim.close();
            }
            context.close();
            Thread.interrupted();
        }
    }

    /** Runs the spec's batch prediction; its failures go where a training's do. */
    private int predicted() throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        Path results = BatchRun.run(spec.trainingId(), spec.predict(), spec.savePath(), spec.dataFiles(), context);
        if (isCancelled()) {
            return cancelled();
        }
        events.send(new WorkerEvent.Completed(results, (System.nanoTime() - t0) / 1e6, 0, Instant.now()));
        return WorkerProtocol.EXIT_COMPLETED;
    }

    /**
     * Claims the training's durable checkpoints before the module reads them, waiting for a worker of an earlier
     * attempt that still runs (its parent died and it has not noticed yet); null when there are none.
     */
    private CheckpointStore.Claim claimCheckpoints() {
        if (checkpoints == null) {
            return null;
        }
        Optional<CheckpointStore.Claim> free = checkpoints.tryClaim();
        if (free.isPresent()) {
            return free.get();
        }
        System.err.println("kiln worker: waiting for an earlier attempt of training " + spec.trainingId()
                + " to stop before resuming from its checkpoints in " + checkpoints.directory());
        return checkpoints.claim();
    }

    /** Sends a failure that happened before training could start, such as an unusable spec. */
    static int rejected(EventSink events, JobError error) {
        events.send(new WorkerEvent.Failed(error, Instant.now()));
        return WorkerProtocol.EXIT_FAILED;
    }

    private int failed(JobError error) {
        return rejected(events, error);
    }

    /**
     * Ends a cancelled training: removes its partial save and the processes it started, then says {@code cancelled}.
     * After that event the worker has nothing left to do, so whoever stopped it may kill it at once.
     */
    private int cancelled() {
        if (spec.savePath() != null) {
            try {
                ModelFormat.cleanUpInterruptedSave(spec.savePath());
            } catch (RuntimeException e) {
                System.err.println("kiln worker: " + e.getMessage());
            }
        }
        WorkerMain.killDescendants();
        events.send(new WorkerEvent.Cancelled(Instant.now()));
        return WorkerProtocol.EXIT_CANCELLED;
    }

    /** What a module's training threw, as the kind of error: heap exhaustion, marked retryable, or an exception. */
    private static JobError.Kind kindOf(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return JobError.Kind.OUT_OF_MEMORY;
        }
        return RetryableTrainingException.marks(t) ? JobError.Kind.RETRYABLE_EXCEPTION : JobError.Kind.EXCEPTION;
    }
}
