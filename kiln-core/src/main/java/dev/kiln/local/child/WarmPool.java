package dev.kiln.local.child;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code forkserver}: keeps {@code warm_pool_size} workers started, warmed up and idle. Each takes exactly one job
 * and exits after it; its replacement starts when the job has ended ({@code warm_pool_refill: after_job}, so that
 * JVM's start-up competes with no running job) or as soon as the worker is taken ({@code at_once}), and JVM start-up is
 * off the job's clock either way. A job takes the
 * oldest worker that has finished warming up, or else the oldest one still starting. Workers that
 * die while idle are replaced, unless they keep dying (a bad JVM option, say): after three in a row the pool stops
 * refilling until the next job asks for a worker, which then starts its own and reports what went wrong.
 */
final class WarmPool implements WorkerSource {
    private static final Logger LOG = LoggerFactory.getLogger(WarmPool.class);
    private static final int MAX_IDLE_DEATHS = 3;
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final WorkerStarter starter;
    private final int size;
    private final WarmPoolRefill refill;
    private final Executor executor;
    private final ArrayDeque<ChildProcess> idle = new ArrayDeque<>(); // guarded by this
    private int starting; // guarded by this
    private int idleDeaths; // guarded by this
    private boolean closed; // guarded by this

    WarmPool(WorkerStarter starter, int size, WarmPoolRefill refill, Executor executor) {
        this.starter = starter;
        this.size = size;
        this.refill = refill;
        this.executor = executor;
        fill();
    }

    @Override
    public ChildProcess acquire() throws IOException {
        synchronized (this) {
            if (closed) {
                throw new IOException("The trainer is closed");
            }
        }
        ChildProcess taken = takeIdle();
        return taken != null ? taken : starter.start(true);
    }

    /** The first ready idle worker, else the first idle one still warming up (it reads the job when it is ready). */
    @Override
    public ChildProcess takeIdle() {
        ChildProcess taken;
        synchronized (this) {
            if (closed) {
                return null;
            }
            idle.removeIf(c -> !c.isAlive());
            taken = idle.stream().filter(ChildProcess::isReady).findFirst().orElse(idle.peekFirst());
            if (taken != null) {
                idle.remove(taken);
            }
            idleDeaths = 0;
        }
        if (refill == WarmPoolRefill.AT_ONCE) {
            fill();
        }
        return taken;
    }

    @Override
    public void jobFinished() {
        fill();
    }

    /** Starts workers until the pool holds {@code size}, counting those still starting. */
    private void fill() {
        int needed;
        synchronized (this) {
            if (closed || idleDeaths >= MAX_IDLE_DEATHS) {
                return;
            }
            needed = size - idle.size() - starting;
            if (needed <= 0) {
                return;
            }
            starting += needed;
        }
        for (int i = 0; i < needed; i++) {
            executor.execute(this::startOne);
        }
    }

    private void startOne() {
        ChildProcess child;
        try {
            child = starter.start(true);
        } catch (IOException | RuntimeException e) {
            synchronized (this) {
                starting--;
                idleDeaths++;
            }
            LOG.warn("Could not start a pre-started training JVM: {}", e.getMessage());
            return;
        }
        boolean keep;
        synchronized (this) {
            starting--;
            keep = !closed;
            if (keep) {
                idle.addLast(child);
            }
        }
        if (!keep) {
            child.closeInput();
            return;
        }
        child.onExit().thenRunAsync(() -> idleExited(child), executor).exceptionally(e -> {
            LOG.error("Handling the exit of a pre-started training JVM (pid {}) failed", child.pid(), e);
            return null;
        });
    }

    private void idleExited(ChildProcess child) {
        synchronized (this) {
            if (!idle.remove(child) || closed) {
                return;
            }
            idleDeaths++;
        }
        child.drained().orTimeout(1, TimeUnit.SECONDS).exceptionally(t -> null).join();
        LOG.warn(
                "A pre-started training JVM (pid {}) exited with code {} before it was given a job{}{}",
                child.pid(),
                child.exitValue(),
                child.broken() == null ? "" : ": it sent " + child.broken(),
                OutputTail.of(child.log().read()).isEmpty()
                        ? ""
                        : "; its output:\n" + OutputTail.of(child.log().read()));
        fill();
    }

    /** How many workers are idle or starting: what the pool holds or will hold without another refill. */
    synchronized int held() {
        return idle.size() + starting;
    }

    /** The process ids of the idle workers. */
    synchronized List<Long> idlePids() {
        List<Long> pids = new ArrayList<>();
        idle.forEach(c -> pids.add(c.pid()));
        return pids;
    }

    /** Closes every idle worker's input so it exits, and kills those that do not within a few seconds. */
    @Override
    public void close() {
        List<ChildProcess> leaving;
        synchronized (this) {
            closed = true;
            leaving = new ArrayList<>(idle);
            idle.clear();
        }
        leaving.forEach(ChildProcess::closeInput);
        long deadline = System.nanoTime() + CLOSE_WAIT.toNanos();
        for (ChildProcess child : leaving) {
            CompletableFuture<Process> exit = child.onExit();
            try {
                exit.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException e) {
                child.kill();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                child.kill();
            } catch (java.util.concurrent.ExecutionException e) {
                child.kill();
            }
        }
    }
}
