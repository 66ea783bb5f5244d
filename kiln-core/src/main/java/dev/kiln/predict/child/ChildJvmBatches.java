package dev.kiln.predict.child;

import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.child.ChildJvmRunner;
import dev.kiln.predict.JobPredictor;
import dev.kiln.predict.JsonLinesBatch;
import dev.kiln.predict.PredictionFailedException;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.worker.BatchSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs batch predictions each in a worker JVM of its own, started as the LOCAL trainer starts them ({@code spawn} or
 * {@code forkserver}). The calling thread waits for the worker, so the job predictor's thread count still bounds how
 * many batches run; interrupting it (a cancel) stops the worker, waits until it is gone and leaves no results.
 */
public final class ChildJvmBatches implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJvmBatches.class);

    private final TrainerScheduler scheduler = TrainerScheduler.daemon("kiln-predictions-timer");
    private final ChildJvmRunner runner;
    private final Clock clock;

    public ChildJvmBatches(ChildJvmBatchSettings settings, Clock clock) {
        this.runner = new ChildJvmRunner("predictions", settings.settings(), scheduler);
        this.clock = clock;
    }

    /**
     * Runs the batch in a worker JVM and waits for it.
     *
     * @return the results file, written whole
     * @throws PredictionFailedException with the worker's error, or why it died
     * @throws InterruptedException when the waiting thread was interrupted; the worker has then been stopped and its
     *     partial results removed
     */
    public Path run(BatchRequest request, JobPredictor.Reporter reporter)
            throws InterruptedException, PredictionFailedException {
        BatchJob job = new BatchJob(request, reporter, clock);
        BatchSpec spec = new BatchSpec(
                request.modelPath(),
                request.moduleId(),
                request.task(),
                request.source().toJson());
        runner.startBatch(job, spec, request.dataBase());
        try {
            job.awaitReleased();
        } catch (InterruptedException e) {
            job.stopRequested();
            runner.stop(job);
            job.awaitReleasedUninterruptibly();
            throw e;
        } finally {
            if (job.info().status() != JobStatus.COMPLETED) {
                deleteResults(request.results());
            }
            runner.purged(job);
        }
        JobInfo info = job.info();
        if (info.status() == JobStatus.COMPLETED) {
            return request.results();
        }
        throw new PredictionFailedException(
                info.errors().isEmpty()
                        ? JobError.of(
                                JobError.Kind.PROCESS_DIED,
                                "Batch prediction " + request.id() + " ended without a result")
                        : info.errors().get(0));
    }

    private static void deleteResults(Path results) {
        for (Path p : new Path[] {results, JsonLinesBatch.partialFile(results)}) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                LOG.warn("Could not delete {}: {}", p, e.toString());
            }
        }
    }

    /** Stops the workers still running, killing those that outlive the grace period. */
    @Override
    public void close() {
        runner.close();
        scheduler.close();
    }
}
