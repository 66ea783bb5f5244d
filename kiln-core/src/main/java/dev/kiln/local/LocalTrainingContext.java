package dev.kiln.local;

import dev.kiln.job.Progress;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.logging.CapturedLog;
import dev.kiln.logging.TrainingLogger;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The training context of a job running in this JVM; lines it logs carry the id in the MDC as {@code training_id}
 * and are kept in the job's log.
 */
final class LocalTrainingContext implements TrainingContext, AutoCloseable {
    private final RunnerJob job;
    private final long logLimit;
    private final BiConsumer<RunnerJob, CapturedLog> onLog;
    private final Clock clock;
    private final Thread worker = Thread.currentThread();
    private TrainingLogger logger; // guarded by this
    private volatile boolean checkpointRequested;
    /** Set before the job's worker is interrupted to stop it. */
    private volatile boolean stopInterrupted;
    /** Set when the thread was found interrupted after the training, by something other than stopping it. */
    private boolean interruptedElsewhere;

    private Path scratch; // guarded by this

    /**
     * @param logLimit the most characters of log kept for the job
     * @param onLog told of the job and its log when the module first asks for its logger
     * @param clock the trainer's clock, which stamps the job's log lines
     */
    LocalTrainingContext(RunnerJob job, long logLimit, BiConsumer<RunnerJob, CapturedLog> onLog, Clock clock) {
        this.job = job;
        this.logLimit = logLimit;
        this.onLog = onLog;
        this.clock = clock;
    }

    /** Interrupts the thread the training runs on (the one that made this context) to stop the training. */
    void interruptWorker() {
        stopInterrupted = true;
        worker.interrupt();
    }

    /** Whether {@link #interruptWorker()} interrupted the training's thread. */
    boolean interruptedWorker() {
        return stopInterrupted;
    }

    /** Records, on the training's thread after the training, an interrupt that did not come from stopping it. */
    void noteInterruptedElsewhere() {
        interruptedElsewhere = true;
    }

    /** Whether the training's thread was interrupted by something other than stopping it (read on that thread). */
    boolean interruptedElsewhere() {
        return interruptedElsewhere;
    }

    @Override
    public String trainingId() {
        return job.id();
    }

    @Override
    public boolean isCancelled() {
        return job.isStopRequested();
    }

    @Override
    public void reportProgress(long step, long total, Map<String, Double> metrics) {
        job.progress(new Progress(step, total, metrics, job.now()));
    }

    @Override
    public void saveCheckpoint(long step, byte[] state) {
        // cleared first: a request that arrives while this one is written asks for the next
        checkpointRequested = false;
        job.checkpoints().save(step, state);
    }

    /** Asks the training to save a checkpoint at its next chance. */
    void requestCheckpoint() {
        checkpointRequested = true;
    }

    @Override
    public boolean checkpointRequested() {
        return checkpointRequested;
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return job.checkpoints().latest();
    }

    @Override
    public synchronized Logger logger() {
        if (logger == null) {
            CapturedLog log = new CapturedLog(logLimit);
            onLog.accept(job, log);
            logger = TrainingLogger.capturing(
                    LoggerFactory.getLogger("dev.kiln.training." + job.module().name()), log, clock);
        }
        return logger;
    }

    @Override
    public synchronized Path scratchDir() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("kiln-scratch-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    @Override
    public synchronized void close() {
        if (scratch != null) {
            ModelFormat.deleteRecursively(scratch);
            scratch = null;
        }
    }
}
