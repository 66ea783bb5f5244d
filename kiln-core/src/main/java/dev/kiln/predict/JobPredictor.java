package dev.kiln.predict;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs predictions in the background on an executor, as caikit's LOCAL job predictor does: each gets an id, moves
 * QUEUED → RUNNING → COMPLETED, ERRORED or CANCELED, and is forgotten {@code retention} after it ended (kept for
 * ever when the retention is null). Finished jobs are purged whenever a job is submitted or looked up.
 */
public final class JobPredictor implements AutoCloseable {
    private final ExecutorService executor;
    private final Duration retention;
    private final Clock clock;
    private final ConcurrentHashMap<String, PredictionJob> jobs = new ConcurrentHashMap<>();
    private final Consumer<PredictionJob> onPurge;
    private volatile boolean closed;

    /**
     * @param executor runs the predictions; closed with the predictor
     * @param retention how long finished predictions are kept, or null for ever
     * @param clock the clock for timestamps and retention
     * @param onPurge told of each prediction the retention removed, so what it kept can be deleted
     */
    public JobPredictor(ExecutorService executor, Duration retention, Clock clock, Consumer<PredictionJob> onPurge) {
        this.executor = Objects.requireNonNull(executor, "executor");
        this.retention = retention;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onPurge = onPurge == null ? j -> {} : onPurge;
    }

    /** The work a prediction does; a batch reports progress through the job it is given. */
    @FunctionalInterface
    public interface Work {
        /** Computes the prediction's result. */
        Object run(Reporter reporter) throws Exception;
    }

    /** How running work reports how far it has got. */
    @FunctionalInterface
    public interface Reporter {
        /** {@code step} of {@code total} records done ({@code total} 0 when unknown). */
        void progress(long step, long total);
    }

    /**
     * Starts a prediction.
     *
     * @param task the task, as the route names it
     * @param modelId the model it runs
     * @param batch whether it runs over a data stream
     * @throws KilnException FAILED_PRECONDITION if the predictor is closed
     */
    public PredictionJob submit(String task, String modelId, boolean batch, Work work) {
        return submit(newId(), task, modelId, batch, work);
    }

    /** A fresh prediction id. */
    public static String newId() {
        return UUID.randomUUID().toString();
    }

    /**
     * Starts a prediction under an id chosen by the caller, replacing a finished one of the same id.
     *
     * @throws KilnException FAILED_PRECONDITION if the predictor is closed, CONFLICT if a prediction with that id
     *     has not ended
     */
    public PredictionJob submit(String id, String task, String modelId, boolean batch, Work work) {
        purgeExpired();
        if (closed) {
            throw KilnException.failedPrecondition("The job predictor is closed");
        }
        PredictionJob job = new PredictionJob(id, task, modelId, batch, clock);
        jobs.compute(id, (key, existing) -> {
            if (existing != null && !existing.info().status().isTerminal()) {
                throw KilnException.conflict("Cannot restart prediction " + key + " that is currently running");
            }
            return job;
        });
        try {
            job.submitted(executor.submit(() -> run(job, work)));
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id());
            throw KilnException.failedPrecondition("The job predictor is closed");
        }
        return job;
    }

    private void run(PredictionJob job, Work work) {
        if (!job.start()) {
            return;
        }
        try {
            job.succeeded(work.run(job::progress));
        } catch (PredictionFailedException e) {
            job.failed(e.error());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.failed(e);
        } catch (Exception | LinkageError | OutOfMemoryError e) {
            job.failed(e);
        }
    }

    /**
     * The prediction with this id.
     *
     * @throws KilnException NOT_FOUND naming the id if there is none (never was, or purged)
     */
    public PredictionJob job(String predictionId) {
        purgeExpired();
        PredictionJob job = predictionId == null ? null : jobs.get(predictionId);
        if (job == null) {
            throw KilnException.notFound("Unknown prediction_id: " + predictionId);
        }
        return job;
    }

    /** Every prediction still kept, the latest submitted first. */
    public List<PredictionJob> newestFirst() {
        purgeExpired();
        List<PredictionJob> all = new ArrayList<>(jobs.values());
        all.sort(Comparator.comparing((PredictionJob j) -> j.info().submitted()).reversed());
        return all;
    }

    /** Forgets every prediction that ended more than the retention ago. */
    public void purgeExpired() {
        if (retention == null) {
            return;
        }
        Instant cutoff = clock.instant().minus(retention);
        for (PredictionJob job : jobs.values()) {
            JobInfo info = job.info();
            if (info.completed() != null && info.completed().isBefore(cutoff) && jobs.remove(job.id(), job)) {
                onPurge.accept(job);
            }
        }
    }

    /** Cancels what is still running and stops the executor. */
    @Override
    public void close() {
        closed = true;
        jobs.values().forEach(PredictionJob::cancel);
        executor.shutdownNow();
    }
}
