package dev.kiln.server.grpc;

import com.google.protobuf.DynamicMessage;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.function.Supplier;

/**
 * caikit's background predictions: each runs on the executor and is kept in memory with its state, times, errors and
 * answer; the oldest finished ones are forgotten beyond {@code keep}.
 */
final class PredictionJobs {
    /** One background prediction. */
    static final class Job {
        final String id;
        final String task;
        final Instant submitted;
        volatile JobStatus state = JobStatus.QUEUED; // guarded by this (written; read without it)
        volatile Instant completed; // guarded by this (written; read without it)
        volatile List<String> reasons = List.of(); // guarded by this (written; read without it)
        volatile KilnException error; // guarded by this (written; read without it)
        volatile DynamicMessage answer; // guarded by this (written; read without it)
        volatile Future<?> future;

        Job(String id, String task, Instant submitted) {
            this.id = id;
            this.task = task;
            this.submitted = submitted;
        }
    }

    private final Map<String, Job> jobs = new ConcurrentHashMap<>();
    private final Deque<String> finished = new ArrayDeque<>(); // guarded by finished
    private final ExecutorService executor;
    private final Clock clock;
    private final int keep;

    PredictionJobs(ExecutorService executor, Clock clock, int keep) {
        this.executor = executor;
        this.clock = clock;
        this.keep = keep;
    }

    /** Starts {@code prediction} in the background; answers the job at once. */
    Job start(String task, Supplier<DynamicMessage> prediction) {
        Job job = new Job(UUID.randomUUID().toString(), task, clock.instant());
        jobs.put(job.id, job);
        job.future = executor.submit(() -> run(job, prediction));
        return job;
    }

    private void run(Job job, Supplier<DynamicMessage> prediction) {
        synchronized (job) {
            if (job.state != JobStatus.QUEUED) {
                return;
            }
            job.state = JobStatus.RUNNING;
        }
        try {
            DynamicMessage answer = prediction.get();
            end(job, JobStatus.COMPLETED, answer, null);
        } catch (KilnException e) {
            end(job, JobStatus.ERRORED, null, e);
        } catch (RuntimeException e) {
            end(job, JobStatus.ERRORED, null, new KilnException(ErrorCode.INTERNAL, e.toString(), e));
        }
    }

    private void end(Job job, JobStatus state, DynamicMessage answer, KilnException error) {
        synchronized (job) {
            if (job.state.isTerminal()) {
                return;
            }
            job.answer = answer;
            job.error = error;
            job.reasons = error == null ? List.of() : List.of(error.getMessage());
            job.completed = clock.instant();
            job.state = state;
        }
        synchronized (finished) {
            finished.addLast(job.id);
            while (finished.size() > keep) {
                jobs.remove(finished.removeFirst());
            }
        }
    }

    /**
     * The job with this id, started for {@code task}.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    Job get(String id, String task) {
        Job job = jobs.get(id);
        if (job == null || !job.task.equals(task)) {
            throw KilnException.notFound("No prediction job " + id + " for " + task);
        }
        return job;
    }

    /** Cancels a job that has not ended; one that ended is left as it is. */
    Job cancel(String id, String task) {
        Job job = get(id, task);
        end(job, JobStatus.CANCELED, null, null);
        Future<?> f = job.future;
        if (f != null) {
            f.cancel(true);
        }
        return job;
    }

    /**
     * The answer of a completed job.
     *
     * @throws KilnException the prediction's own error if it failed, FAILED_PRECONDITION if it has not completed
     */
    DynamicMessage result(String id, String task) {
        Job job = get(id, task);
        if (job.state == JobStatus.COMPLETED) {
            return job.answer;
        }
        if (job.state == JobStatus.ERRORED) {
            throw job.error;
        }
        throw KilnException.failedPrecondition(
                "Prediction job " + id + " is " + job.state + "; its result is there once it is COMPLETED");
    }
}
