package dev.kiln.worker;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.Progress;
import dev.kiln.logging.TrainingLogger;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The training context inside a worker: cancellation is a flag that SIGTERM (or the parent's death) sets, a
 * checkpoint request one that SIGUSR1 sets, progress
 * becomes events, and the scratch directory lives in the job directory when there is one. Logging is set up only if
 * the module asks for a logger; lines the logging backend drops are printed to standard error, so the worker's
 * output holds every line at INFO and above.
 */
final class WorkerTrainingContext implements TrainingContext, AutoCloseable {
    private final String trainingId;
    private volatile String moduleName = "unknown";
    private final EventSink events;
    private final Path scratchParent;
    private CheckpointStore checkpoints;
    private volatile boolean cancelled;
    private volatile boolean checkpointRequested;
    private Path scratch; // guarded by this
    private Logger logger; // guarded by this

    /** @param checkpoints the training's checkpoints, or null to keep them in the scratch directory */
    WorkerTrainingContext(String trainingId, EventSink events, Path scratchParent, CheckpointStore checkpoints) {
        this.trainingId = trainingId;
        this.events = events;
        this.scratchParent = scratchParent;
        this.checkpoints = checkpoints;
    }

    /** Names the module in the logger's name, once it is known. */
    void moduleName(String name) {
        this.moduleName = name;
    }

    /** Asks the training to stop. */
    void cancel() {
        cancelled = true;
    }

    /** Asks the training to save a checkpoint at its next chance (SIGUSR1). */
    void requestCheckpoint() {
        checkpointRequested = true;
    }

    @Override
    public boolean checkpointRequested() {
        return checkpointRequested;
    }

    @Override
    public String trainingId() {
        return trainingId;
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void reportProgress(long step, long total, Map<String, Double> metrics) {
        events.send(new WorkerEvent.Progressed(new Progress(step, total, metrics, Instant.now())));
    }

    @Override
    public void saveCheckpoint(long step, byte[] state) {
        // cleared first: a request that arrives while this one is written asks for the next
        checkpointRequested = false;
        checkpoints().save(step, state);
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return checkpoints().latest();
    }

    /** The durable checkpoints, or (with no durable directory) ones that last as long as this attempt's scratch. */
    private synchronized CheckpointStore checkpoints() {
        if (checkpoints == null) {
            checkpoints = new CheckpointStore(scratchDir().resolve("checkpoints"), 2);
        }
        return checkpoints;
    }

    @Override
    public synchronized Logger logger() {
        if (logger == null) {
            MDC.put("training_id", trainingId);
            logger = TrainingLogger.echoing(LoggerFactory.getLogger("dev.kiln.training." + moduleName));
        }
        return logger;
    }

    @Override
    public synchronized Path scratchDir() {
        if (scratch == null) {
            try {
                if (scratchParent != null) {
                    Files.createDirectories(scratchParent);
                    scratch = Files.createTempDirectory(scratchParent, "scratch-");
                } else {
                    scratch = Files.createTempDirectory("kiln-scratch-");
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    @Override
    public synchronized void close() {
        try {
            ModelFormat.deleteRecursively(scratch);
        } catch (UncheckedIOException e) {
            System.err.println("kiln worker: cannot remove scratch directory " + scratch + ": " + e.getMessage());
        }
        scratch = null;
    }
}
