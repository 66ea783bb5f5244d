package dev.kiln.predict.child;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobState;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.predict.JobPredictor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * A batch prediction as the child-JVM runner sees a job: its own state for the worker's outcome, progress passed on
 * to the prediction, and a latch that opens when the worker has let go. It trains no module, so it has none and no
 * checkpoints; the runner asks for neither when it starts a batch.
 */
final class BatchJob implements RunnerJob {
    private final BatchRequest request;
    private final JobPredictor.Reporter reporter;
    private final Clock clock;
    private final JobState state;
    private final CountDownLatch released = new CountDownLatch(1);
    private volatile boolean stopRequested;
    private volatile Object attachment;

    BatchJob(BatchRequest request, JobPredictor.Reporter reporter, Clock clock) {
        this.request = request;
        this.reporter = reporter;
        this.clock = clock;
        this.state = new JobState(JobInfo.queued(request.id(), clock.instant()), null);
        state.start(clock.instant());
    }

    /** The prediction was cancelled: the worker is to stop, and nothing it reports after this counts. */
    void stopRequested() {
        stopRequested = true;
        state.finish(JobStatus.CANCELED, List.of(), clock.instant());
    }

    /** Waits until the worker has let go of the job. */
    void awaitReleased() throws InterruptedException {
        released.await();
    }

    /** Waits until the worker has let go of the job, keeping an interrupt for the caller. */
    void awaitReleasedUninterruptibly() {
        boolean interrupted = false;
        while (true) {
            try {
                released.await();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String id() {
        return request.id();
    }

    @Override
    public ModuleType<?, ?> moduleType() {
        throw new UnsupportedOperationException("Batch prediction " + id() + " trains no module");
    }

    @Override
    public ModuleDescriptor module() {
        throw new UnsupportedOperationException("Batch prediction " + id() + " trains no module");
    }

    @Override
    public Object parameters() {
        return state.get().status().isTerminal() ? null : request;
    }

    @Override
    public JobInfo info() {
        return state.get();
    }

    @Override
    public Optional<Path> savePath() {
        return Optional.of(request.results());
    }

    @Override
    public void saveTo(Path path) {
        // the results have their place already
    }

    @Override
    public CheckpointStore checkpoints() {
        throw new UnsupportedOperationException("Batch prediction " + id() + " keeps no checkpoints");
    }

    @Override
    public boolean isStopRequested() {
        return stopRequested;
    }

    @Override
    public Instant now() {
        return clock.instant();
    }

    @Override
    public void progress(Progress progress) {
        if (!state.get().status().isTerminal()) {
            reporter.progress(progress.step(), progress.total());
        }
    }

    @Override
    public boolean succeeded(Model result, long trainNanos, long saveNanos) {
        return state.finish(JobStatus.COMPLETED, List.of(), clock.instant());
    }

    @Override
    public boolean failed(JobError error) {
        return state.finish(JobStatus.ERRORED, List.of(error), clock.instant());
    }

    @Override
    public void workerFinished() {
        released.countDown();
    }

    @Override
    public Object attachment() {
        return attachment;
    }

    @Override
    public void attach(Object value) {
        attachment = value;
    }
}
