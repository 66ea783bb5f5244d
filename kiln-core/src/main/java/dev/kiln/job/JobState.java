package dev.kiln.job;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The one place a job's state changes: each change is checked against the transition table under this object's
 * monitor, so a terminal state is never overwritten however threads race, while reading the state takes no lock.
 * Callers can {@link #await} the terminal snapshot.
 *
 * <p>A change is a short critical section rather than a compare-and-set through a {@code VarHandle}: the two are
 * alike once compiled, but a job's few changes mostly run in the interpreter, where a {@code VarHandle} operation
 * runs about ten methods of the JDK's and a monitor none.
 *
 * <p>A finished job may be retained for days, so it keeps nothing for waiting: the future callers wait on is made
 * by the first caller that waits before the end, and let go of once the end is reported.
 */
public final class JobState {
    /** Marks a state whose end has been reported: callers no longer wait. */
    private static final CompletableFuture<JobInfo> ENDED = new CompletableFuture<>();

    /**
     * The current snapshot; or, until someone asks for it, a {@link Queued} for a new job and a {@link FirstRun} while
     * a job runs its first attempt. A job nobody looks at before it ends so builds one snapshot, its last.
     */
    private volatile Object stage; // written under this

    private final Consumer<JobInfo> onTerminal;
    /** What callers wait on: null until one waits, {@link #ENDED} once the end is reported. Written under this. */
    private volatile CompletableFuture<JobInfo> waiting;

    /**
     * @param initial the first snapshot; a terminal one (a job known only from its record) has already ended
     * @param onTerminal called once, by the thread that made the terminal transition, before awaiting callers wake
     */
    public JobState(JobInfo initial, Consumer<JobInfo> onTerminal) {
        this.stage = initial;
        this.onTerminal = onTerminal;
        this.waiting = initial.status().isTerminal() ? ENDED : null;
    }

    /**
     * The state of a new job, {@code JobInfo.queued(id, submitted)}, with no callback at its end.
     *
     * @param id the training id
     * @param submitted when the job was submitted
     */
    public JobState(String id, Instant submitted) {
        this.stage = new Queued(id, submitted);
        this.onTerminal = null;
    }

    /** The current snapshot. */
    public JobInfo get() {
        Object current = stage;
        if (current instanceof JobInfo info) {
            return info;
        }
        JobInfo built = current instanceof FirstRun run ? run.info() : ((Queued) current).info();
        synchronized (this) {
            // put in place of the stage it was built from, unless the job has moved on meanwhile
            if (stage != current) {
                return get();
            }
            stage = built;
            return built;
        }
    }

    /** The current status: {@code get().status()} without building a snapshot. */
    public JobStatus status() {
        Object current = stage;
        if (current instanceof JobInfo info) {
            return info.status();
        }
        return current instanceof FirstRun ? JobStatus.RUNNING : JobStatus.QUEUED;
    }

    /** Moves QUEUED to RUNNING; false if the job is no longer QUEUED. */
    public synchronized boolean start(Instant now) {
        Object current = stage;
        if (current instanceof Queued queued) {
            stage = new FirstRun(queued.id, queued.submitted, null, now);
        } else if (current instanceof JobInfo info && info.status() == JobStatus.QUEUED) {
            stage = info.errors().isEmpty() && info.attempts().isEmpty()
                    ? new FirstRun(info.id(), info.submitted(), info.progress(), now)
                    : info.running(now);
        } else {
            return false;
        }
        return true;
    }

    /**
     * Ends the running attempt with {@code error}, keeping the job RUNNING for the next one; false (and no change)
     * if the job is not RUNNING or no attempt runs.
     */
    public synchronized boolean retry(JobError error, Instant now) {
        JobInfo current = get();
        Attempt attempt = current.currentAttempt();
        if (current.status() != JobStatus.RUNNING || attempt == null || attempt.hasEnded()) {
            return false;
        }
        stage = current.retrying(error, now);
        return true;
    }

    /** Begins the next attempt of a RUNNING job between attempts; false if the job ended or an attempt runs. */
    public synchronized boolean beginAttempt(Instant now) {
        JobInfo current = get();
        Attempt attempt = current.currentAttempt();
        if (current.status() != JobStatus.RUNNING || attempt == null || !attempt.hasEnded()) {
            return false;
        }
        stage = current.nextAttempt(now);
        return true;
    }

    /** Moves to a terminal state; false (and no change) if the job was already terminal. */
    public boolean finish(JobStatus terminal, List<JobError> errors, Instant now) {
        JobInfo next = end(terminal, errors, now);
        if (next == null) {
            return false;
        }
        try {
            if (onTerminal != null) {
                onTerminal.accept(next);
            }
        } finally {
            reportEnd(next);
        }
        return true;
    }

    /**
     * Moves to a terminal state and answers its snapshot, or null (and no change) if the job was already terminal.
     * Callers waiting for the job wake only at {@link #reportEnd}, which the caller that got the snapshot must call
     * (in a {@code finally}) once it has done what must precede their waking. The callback given when this state was
     * made is not called: an owner that ends its jobs this way keeps no callback object per job.
     */
    public JobInfo end(JobStatus terminal, List<JobError> errors, Instant now) {
        synchronized (this) {
            Object current = stage;
            JobInfo next;
            if (current instanceof FirstRun run) {
                if (!JobStatus.RUNNING.canTransitionTo(terminal)) {
                    return null;
                }
                next = JobInfo.firstRunFinished(
                        run.id, run.submitted, run.progress, run.started, terminal, errors, now);
            } else {
                JobInfo info = current instanceof Queued queued ? queued.info() : (JobInfo) current;
                if (!info.status().canTransitionTo(terminal)) {
                    return null;
                }
                next = info.finished(terminal, errors, now);
            }
            stage = next;
            return next;
        }
    }

    /** Wakes the callers waiting for the end {@link #end} answered; later ones get {@code ended} at once. */
    public void reportEnd(JobInfo ended) {
        CompletableFuture<JobInfo> waiters;
        synchronized (this) {
            waiters = waiting;
            waiting = ENDED;
        }
        if (waiters != null) {
            waiters.complete(ended);
        }
    }

    /** Waits for the terminal snapshot. */
    public JobInfo await() throws InterruptedException {
        // read in this order: once the end is reported, the stage written before it is the terminal snapshot
        if (waiting == ENDED && stage instanceof JobInfo info) {
            return info;
        }
        CompletableFuture<JobInfo> waiters = waiters();
        if (waiters == null) {
            return get();
        }
        try {
            return waiters.get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /** Waits up to {@code timeout} for the terminal snapshot; answers the current one if the job has not ended. */
    public JobInfo await(Duration timeout) throws InterruptedException {
        CompletableFuture<JobInfo> waiters = waiters();
        if (waiters == null) {
            return get();
        }
        try {
            return waiters.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("never completed exceptionally", e);
        }
    }

    /**
     * The future callers wait on, made by the first of them; null once the end has been reported, when {@link #get}
     * answers the terminal snapshot (it never changes after the terminal transition, which precedes the report).
     */
    private CompletableFuture<JobInfo> waiters() {
        CompletableFuture<JobInfo> current = waiting;
        if (current == ENDED) {
            return null;
        }
        if (current != null) {
            return current;
        }
        synchronized (this) {
            if (waiting == null) {
                waiting = new CompletableFuture<>();
            }
            return waiting == ENDED ? null : waiting;
        }
    }

    /** Whether a caller waits for the end, which has not been reported yet. */
    boolean hasWaiters() {
        CompletableFuture<JobInfo> current = waiting;
        return current != null && current != ENDED;
    }

    /** A new job nobody has asked about yet: {@code JobInfo.queued(id, submitted)}. */
    private record Queued(String id, Instant submitted) {
        JobInfo info() {
            return JobInfo.queued(id, submitted);
        }
    }

    /** A job in its first attempt, begun at {@code started}, that had {@code progress} when it was QUEUED. */
    private record FirstRun(String id, Instant submitted, Progress progress, Instant started) {
        JobInfo info() {
            return JobInfo.firstRunning(id, submitted, progress, started);
        }
    }

    /** Records a progress report unless the job is already terminal; false (and no change) if it is. */
    public synchronized boolean progress(Progress progress) {
        JobInfo current = get();
        if (current.status().isTerminal()) {
            return false;
        }
        stage = current.withProgress(progress);
        return true;
    }
}
