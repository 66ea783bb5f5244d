package dev.kiln.local;

import dev.kiln.job.JobError;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.logging.CapturedLog;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleType;
import dev.kiln.module.RetryableTrainingException;
import dev.kiln.module.TrainingCancelledException;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import org.slf4j.MDC;

/**
 * Runs each job in a thread of this JVM; cancellation interrupts the thread and flips the context's flag. What the
 * module logs through its context is kept in memory as the job's log, up to {@code log_capture_bytes}; a module
 * that never asks for its logger costs nothing for it.
 */
final class ThreadJobRunner implements JobRunner {
    private final Executor executor;
    private final long logLimit;
    private final Clock clock;
    private final Map<RunnerJob, Thread> workers = new ConcurrentHashMap<>();
    private final Map<RunnerJob, LocalTrainingContext> contexts = new ConcurrentHashMap<>();
    /** What each job logged, from its first line until the trainer purges the job. */
    private final Map<RunnerJob, CapturedLog> logs = new ConcurrentHashMap<>();

    /** @param clock the trainer's clock, which stamps the lines jobs log */
    ThreadJobRunner(Executor executor, long logLimit, Clock clock) {
        this.executor = executor;
        this.logLimit = logLimit;
        this.clock = clock;
    }

    @Override
    public void start(RunnerJob job) {
        executor.execute(() -> run(job));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private void run(RunnerJob job) {
        workers.put(job, Thread.currentThread());
        MDC.put("training_id", job.id());
        LocalTrainingContext context = new LocalTrainingContext(job, logLimit, log -> logs.put(job, log), clock);
        contexts.put(job, context);
        try {
            long t0 = System.nanoTime();
            Model model = ((ModuleType) job.moduleType()).train(job.parameters(), context);
            long trained = System.nanoTime();
            if (job.isStopRequested()) {
                return;
            }
            if (model == null) {
                throw new IllegalStateException("Module " + job.module().name() + " returned no model");
            }
            if (job.savePath().isPresent()) {
                try {
                    ModelFormat.save(model, job.savePath().get(), job.id());
                } catch (RuntimeException e) {
                    job.failed(JobError.of(JobError.Kind.SAVE_FAILED, e));
                    return;
                }
            }
            job.succeeded(model, trained - t0, System.nanoTime() - trained);
        } catch (TrainingCancelledException e) {
            if (!job.isStopRequested()) {
                job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
            }
        } catch (Throwable t) {
            if (!job.isStopRequested()) {
                job.failed(JobError.of(kindOf(t), t));
            }
        } finally {
            MDC.remove("training_id");
            context.close();
            contexts.remove(job);
            workers.remove(job);
            Thread.interrupted();
            job.workerFinished();
        }
    }

    @Override
    public String logs(RunnerJob job) {
        CapturedLog log = logs.get(job);
        return log != null ? log.text() : "";
    }

    @Override
    public void stop(RunnerJob job) {
        // interrupt while holding the job's map entry: the worker removes that entry before it clears its interrupt
        // flag and moves on, so a pooled thread that has moved on to another job is never interrupted for this one
        workers.computeIfPresent(job, (j, worker) -> {
            worker.interrupt();
            return worker;
        });
    }

    @Override
    public boolean requestCheckpoint(RunnerJob job) {
        LocalTrainingContext context = contexts.get(job);
        if (context == null) {
            return false;
        }
        context.requestCheckpoint();
        return true;
    }

    @Override
    public void purged(RunnerJob job) {
        logs.remove(job);
    }

    @Override
    public void close() {
        // the executor belongs to the trainer
    }

    /** What a module's training threw, as the kind of error: heap exhaustion, marked retryable, or an exception. */
    private static JobError.Kind kindOf(Throwable t) {
        if (t instanceof OutOfMemoryError) {
            return JobError.Kind.OUT_OF_MEMORY;
        }
        return RetryableTrainingException.marks(t) ? JobError.Kind.RETRYABLE_EXCEPTION : JobError.Kind.EXCEPTION;
    }
}
