package dev.kiln.local.child;

import dev.kiln.job.JobError;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One LOCAL job running in one worker JVM: sends the spec, turns the worker's events into the job's progress and
 * result, watches for silence and protocol breaches, stops the worker on cancel (SIGKILL with its descendants at
 * once, or SIGTERM and SIGKILL after a grace period), and when the worker exits, explains an exit without a result
 * and cleans up.
 */
final class ChildJob implements ChildProcess.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(ChildJob.class);
    private static final long DRAIN_WAIT_MILLIS = 2_000;
    private static final Duration ARCHIVE_DUMP_WAIT = Duration.ofMinutes(2);
    private static final Duration EXIT_WAIT = Duration.ofSeconds(10);

    private final RunnerJob job;
    private final ChildProcess child;
    private final JobDirectory dir;
    private final ChildJvmOptions options;
    /**
     * Runs the silence watchdog and the kill after the grace period, and measures the silence: the trainer's
     * scheduler, so tests move its time.
     */
    private final TrainerScheduler scheduler;

    private final Consumer<ChildJob> onFinished;
    private final AtomicBoolean finished = new AtomicBoolean();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private OutputStream events; // guarded by this
    /** The events recorded before the events file was opened; null once it has been. */
    private List<WorkerEvent> early = new ArrayList<>(); // guarded by this

    private final MessageOrder order = new MessageOrder();
    private boolean begun; // guarded by this
    private boolean completed; // guarded by this
    private boolean stopping; // guarded by this
    private boolean broken; // guarded by this
    /** When the worker was last heard from (or given its job), on the scheduler's time. */
    private volatile long lastHeardNanos;

    private Cancellable watchdog; // guarded by this
    private Cancellable killer; // guarded by this

    ChildJob(
            RunnerJob job,
            ChildProcess child,
            JobDirectory dir,
            ChildJvmOptions options,
            TrainerScheduler scheduler,
            Consumer<ChildJob> onFinished) {
        this.job = job;
        this.child = child;
        this.dir = dir;
        this.options = options;
        this.scheduler = scheduler;
        this.onFinished = onFinished;
    }

    /**
     * Hands the worker its spec, unless the job was stopped meanwhile. The spec goes first: the worker starts on it
     * while this thread opens the job's files and starts the watchdog, which costs the caller a few file creations.
     * Events that come before the events file is open are kept and written first; output is held by the log capture
     * until it has its file.
     */
    void begin(String spec, Executor executor) {
        boolean stopped;
        synchronized (this) {
            stopped = job.isStopRequested();
            if (!stopped) {
                child.attach(this);
                begun = true;
                lastHeardNanos = scheduler.nanoTime();
            }
        }
        if (!stopped) {
            try {
                child.send(spec);
            } catch (IOException e) {
                // the worker is already gone; its exit explains why
            }
        }
        child.onExit().thenRunAsync(this::exited, executor).exceptionally(e -> {
            LOG.error("Handling the exit of training {}'s JVM failed", job.id(), e);
            return null;
        });
        if (stopped) {
            child.kill();
            return;
        }
        long period = Math.max(10, Math.min(1000, options.silenceTimeout().toMillis() / 4));
        Cancellable watch = scheduler.scheduleWithFixedDelay(this::watch, Duration.ofMillis(period));
        synchronized (this) {
            if (finished.get() || order.ended() || broken) {
                watch.cancel(); // the worker has already ended or exited: nothing left to watch
            } else {
                watchdog = watch;
            }
            if (!finished.get()) {
                keepOutput();
            }
        }
        keepSpec(spec);
    }

    /** Opens the job's output and events files, and writes the events that came before. */
    private void keepOutput() {
        List<WorkerEvent> before = early;
        early = null;
        try {
            child.log().attach(dir.output());
            events = Files.newOutputStream(dir.events());
        } catch (IOException e) {
            LOG.warn("Cannot keep the output of training {} in {}: {}", job.id(), dir.path(), e.toString());
        }
        before.forEach(this::record);
    }

    /** Keeps a copy of the spec with the job's files, once the worker has it: the worker wakes up meanwhile. */
    private void keepSpec(String spec) {
        try {
            Files.writeString(dir.spec(), spec);
        } catch (IOException e) {
            LOG.warn("Cannot keep the spec of training {} in {}: {}", job.id(), dir.path(), e.toString());
        }
    }

    /**
     * The job was cancelled or timed out. With no grace period (the default), the worker and its descendants are
     * killed at once, on the caller's thread, as a Python child dies of its SIGTERM: the job is already CANCELED, and the worker's exit handler
     * here removes a partial save, so nothing the worker would have done on its way out is lost. With a grace period,
     * SIGTERM now (the training's context reports cancellation and it may clean up after itself), SIGKILL for the
     * whole tree once the period is over.
     */
    synchronized void stop() {
        if (!begun || stopping || finished.get()) {
            return;
        }
        stopping = true;
        if (options.cancelGracePeriod().isZero()) {
            child.kill(); // at once, on the caller's thread: a hand-off to another thread costs a wake-up
            return;
        }
        child.terminate();
        killAfter(options.cancelGracePeriod());
    }

    /**
     * How long a worker may live on after its terminal event: the grace period (ten seconds when there is none, for
     * its orderly exit), or longer for a child that writes the class-data archive at exit (the JDK's ahead-of-time
     * cache takes seconds to assemble).
     */
    private Duration afterTerminalEvent() {
        Duration grace = options.cancelGracePeriod();
        Duration wait = grace.isZero() ? EXIT_WAIT : grace;
        return child.launch().dumpTo() == null || wait.compareTo(ARCHIVE_DUMP_WAIT) >= 0 ? wait : ARCHIVE_DUMP_WAIT;
    }

    private synchronized boolean isStopping() {
        return stopping;
    }

    /** Asks the worker's training for a checkpoint (SIGUSR1); false if the worker is stopping, done or unreachable. */
    boolean requestCheckpoint() {
        synchronized (this) {
            if (!begun || stopping || finished.get()) {
                return false;
            }
        }
        return child.requestCheckpoint();
    }

    /** Kills the worker and its descendants now. */
    void kill() {
        child.kill();
    }

    /** Waits at most {@code nanos} for the worker to exit and the job to be wound up. */
    void awaitExit(long nanos) {
        try {
            done.get(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // still running, or failed to wind up: the caller decides
        }
    }

    /** The worker's captured output. */
    String logs() {
        return child.log().read();
    }

    Path directory() {
        return dir.path();
    }

    long pid() {
        return child.pid();
    }

    // ---- the worker's messages, on its reader thread ----

    @Override
    public void event(WorkerEvent event) {
        lastHeardNanos = scheduler.nanoTime();
        String unexpected;
        synchronized (this) {
            if (broken) {
                return;
            }
            unexpected = order.accept(event);
            if (unexpected != null) {
                broken = true;
            } else {
                if (!(event instanceof WorkerEvent.Heartbeat)) {
                    record(event);
                }
                if (event.isTerminal()) {
                    completed = event instanceof WorkerEvent.Completed;
                    if (watchdog != null) {
                        watchdog.cancel();
                    }
                    killAfter(afterTerminalEvent());
                }
            }
        }
        if (unexpected != null) {
            breach(unexpected);
        } else if (event instanceof WorkerEvent.Cancelled
                && isStopping()
                && child.launch().dumpTo() == null) {
            child.killAlone(); // it stopped as asked and has cleaned up: its JVM's orderly exit would only delay it
        } else if (event instanceof WorkerEvent.Progressed p) {
            job.progress(p.progress());
        } else if (event instanceof WorkerEvent.Completed c) {
            job.succeeded(null, (long) (c.trainMillis() * 1e6), (long) (c.saveMillis() * 1e6));
        } else if (event instanceof WorkerEvent.Failed f) {
            job.failed(f.error());
        } else if (event instanceof WorkerEvent.Cancelled) {
            job.failed(JobError.of(
                    JobError.Kind.INTERRUPTED,
                    "Training process " + child.pid()
                            + " was stopped by a SIGTERM that did not come from its trainer"));
        }
    }

    private void record(WorkerEvent event) {
        if (early != null) {
            early.add(event);
            return;
        }
        if (events == null) {
            return;
        }
        try {
            events.write((WorkerEvents.write(event) + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            events = null;
        }
    }

    @Override
    public void corrupt(String reason) {
        synchronized (this) {
            if (broken) {
                return;
            }
            broken = true;
        }
        breach(reason);
    }

    /** The worker broke the protocol: the job fails with the reason and the worker is killed at once. */
    private void breach(String reason) {
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel();
            }
        }
        job.failed(JobError.of(
                JobError.Kind.PROTOCOL,
                "Training process " + child.pid() + " broke the worker protocol: it sent " + reason));
        child.kill();
    }

    private void watch() {
        long silent = scheduler.nanoTime() - lastHeardNanos;
        if (silent < options.silenceTimeout().toNanos() || !child.isAlive()) {
            return;
        }
        synchronized (this) {
            if (broken || order.ended() || stopping || job.info().status().isTerminal()) {
                return;
            }
            broken = true;
            if (watchdog != null) {
                watchdog.cancel();
            }
        }
        job.failed(JobError.of(
                JobError.Kind.PROTOCOL,
                "Training process " + child.pid() + " went silent: no "
                        + "message for " + Duration.ofNanos(silent).toSeconds() + " s (heartbeats are due every "
                        + options.heartbeatInterval().toMillis() + " ms), so it was killed"));
        child.kill();
    }

    private void killAfter(Duration grace) {
        if (killer == null) {
            killer = scheduler.schedule(child::kill, grace);
        }
    }

    // ---- the worker's exit ----

    private void exited() {
        try {
            child.drained().get(DRAIN_WAIT_MILLIS, TimeUnit.MILLISECONDS);
        } catch (Exception e) {
            // output held open by a process the worker started; what was read is enough
        }
        if (!finished.compareAndSet(false, true)) {
            return;
        }
        boolean ended;
        boolean saved;
        synchronized (this) {
            if (watchdog != null) {
                watchdog.cancel();
            }
            if (killer != null) {
                killer.cancel();
            }
            ended = order.ended() || broken;
            saved = completed;
        }
        try {
            int code = child.exitValue();
            if (!ended && !job.info().status().isTerminal()) {
                job.failed(ExitDiagnosis.of(child, code, options.jvmOptions()));
            }
            if (!saved) {
                job.savePath().ifPresent(ModelFormat::cleanUpInterruptedSave);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cleaning up after training {} failed: {}", job.id(), e.toString());
        } finally {
            close();
            onFinished.accept(this);
            job.workerFinished();
            done.complete(null);
        }
    }

    private synchronized void close() {
        child.log().close();
        if (events != null) {
            try {
                events.close();
            } catch (IOException e) {
                // nothing more to record
            }
            events = null;
        }
    }
}
