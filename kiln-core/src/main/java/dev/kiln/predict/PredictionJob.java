package dev.kiln.predict;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;

/** One prediction running in the background: its state, its result once COMPLETED, and a way to cancel it. */
public final class PredictionJob {
    private final String task;
    private final String modelId;
    private final boolean batch;
    private final Clock clock;
    private final JobState state;
    private final AtomicReference<Object> result = new AtomicReference<>();
    private final AtomicReference<Future<?>> running = new AtomicReference<>();

    PredictionJob(String id, String task, String modelId, boolean batch, Clock clock) {
        this.task = task;
        this.modelId = modelId;
        this.batch = batch;
        this.clock = clock;
        this.state = new JobState(JobInfo.queued(id, clock.instant()), null);
    }

    /** The prediction id. */
    public String id() {
        return state.get().id();
    }

    /** The task the prediction runs, as the route names it. */
    public String task() {
        return task;
    }

    /** The model it runs. */
    public String modelId() {
        return modelId;
    }

    /** Whether it is a batch over a data stream rather than one inference. */
    public boolean batch() {
        return batch;
    }

    /** A snapshot of its state; never blocks. */
    public JobInfo info() {
        return state.get();
    }

    /** Cancels it: the state becomes CANCELED at once and its thread is interrupted; a finished job stays as it is. */
    public void cancel() {
        if (state.finish(JobStatus.CANCELED, List.of(), clock.instant())) {
            Future<?> f = running.get();
            if (f != null) {
                f.cancel(true);
            }
        }
    }

    /**
     * Waits at most {@code timeout} for a terminal state.
     *
     * @return the snapshot when the wait ended, terminal or not
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public JobInfo await(Duration timeout) throws InterruptedException {
        return state.await(timeout);
    }

    /**
     * The result of a COMPLETED prediction.
     *
     * @throws KilnException NOT_FOUND with caikit's message for a prediction that has not completed
     */
    public Object result() {
        JobInfo info = state.get();
        String id = info.id();
        return switch (info.status()) {
            case COMPLETED -> result.get();
            case QUEUED -> throw KilnException.notFound("Prediction " + id + " has not started yet");
            case RUNNING -> throw KilnException.notFound("Prediction " + id + " is still in progress");
            case CANCELED -> throw KilnException.notFound("Prediction " + id + " was cancelled");
            case ERRORED -> throw KilnException.notFound("Prediction " + id + " encountered an error");
        };
    }

    void submitted(Future<?> future) {
        running.set(future);
        if (state.get().status().isTerminal()) {
            future.cancel(true);
        }
    }

    boolean start() {
        return state.start(clock.instant());
    }

    void progress(long step, long total) {
        state.progress(new Progress(step, total, Map.of(), clock.instant()));
    }

    void succeeded(Object value) {
        result.set(value);
        if (!state.finish(JobStatus.COMPLETED, List.of(), clock.instant())) {
            result.set(null);
        }
    }

    void failed(Throwable error) {
        failed(JobError.of(JobError.Kind.EXCEPTION, error));
    }

    void failed(JobError error) {
        state.finish(JobStatus.ERRORED, List.of(error), clock.instant());
    }
}
