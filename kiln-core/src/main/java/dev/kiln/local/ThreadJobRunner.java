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
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BiConsumer;
import org.slf4j.MDC;

/**
 * Runs each job in a thread of this JVM; cancellation interrupts the thread and flips the context's flag. What the
 * module logs through its context is kept in memory as the job's log, up to {@code log_capture_bytes}; a module
 * that never asks for its logger costs nothing for it.
 *
 * <p>A started job goes to the pool at once, and whoever claims it first runs it: the pool thread, or a caller
 * that waits for the job before any pool thread has begun it ({@link #runHere}). A caller that waits at once so
 * needs no thread woken on the way back, and the pool thread that wakes late finds the job taken. The claim is an
 * {@link AttemptClaim} the runner keeps on the job, so neither the start nor the claim looks the job up in a map.
 *
 * <p>The pool is given one task at a time that begins the started jobs ({@link #beginStarted}): a job started while
 * that task is in the pool waits for it rather than waking another pool thread. Once the task has found every job
 * taken by its caller, it lingers a moment ({@link #LINGER_ROUNDS} pauses of {@link #LINGER_NANOS}) for the next one
 * before it gives its thread back: a caller that trains and awaits in a loop so wakes no pool thread at all, and a
 * job nobody awaits, started meanwhile, begins at the end of the pause under way. The task hands the rest of the
 * queue to a new task before it runs a job it claims, so a started job never waits for another one.
 */
final class ThreadJobRunner implements JobRunner {
    /**
     * Each pool thread's hand-over point: while one of its workers lets go of a job, the runner it works for, and
     * where {@link #start} leaves the next job for it. Made once per worker thread and reused, so a job costs no
     * allocation here; threads that only submit never get one.
     */
    private static final ThreadLocal<HandOver> HAND_OVER = new ThreadLocal<>();

    /**
     * How long the task that begins started jobs pauses, when it finds none left unclaimed, before it looks again:
     * the longest a job nobody awaits can wait to begin while that task lingers.
     */
    static final long LINGER_NANOS = 100_000;

    /** How many pauses in a row without a new started job the task lingers for before it gives its thread back. */
    static final int LINGER_ROUNDS = 2;

    private final Executor executor;
    private final long logLimit;
    private final Clock clock;
    /** What each job logged, from its first line until the trainer purges the job. */
    private final Map<RunnerJob, CapturedLog> logs = new ConcurrentHashMap<>();

    /**
     * Started jobs in the order they were started, for the task that begins them; claimed ones are skipped. Guarded
     * by itself: a plain array and a lock cost a job less than a lock-free queue while Kiln's code is interpreted.
     */
    private final ArrayDeque<RunnerJob> toBegin = new ArrayDeque<>();

    /** Whether a {@link #beginStarted} task is in the pool, not yet past its last look at {@link #toBegin}. */
    private final AtomicBoolean beginning = new AtomicBoolean();

    private final Runnable beginStarted = this::beginStarted;
    /** One pause of the lingering task: {@link #LINGER_NANOS} parked, unless a test decides. */
    private final Runnable pause;

    private final BiConsumer<RunnerJob, CapturedLog> keepLog = logs::put;

    /**
     * How many of this runner's workers are letting go of a job right now: while none is, no thread can be one, and
     * {@link #start} (on a caller's thread, mostly) skips the look-up of the thread's {@link HandOver}.
     */
    private final AtomicInteger handingOver = new AtomicInteger();

    /** Where {@link #start} leaves the next job for the worker letting go of its job on this thread. */
    private static final class HandOver {
        /** The runner whose worker is letting go of a job on this thread, or null. */
        ThreadJobRunner runner;
        /** The job left for that worker to run next, or null. */
        RunnerJob next;
    }

    /** @param clock the trainer's clock, which stamps the lines jobs log */
    ThreadJobRunner(Executor executor, long logLimit, Clock clock) {
        this(executor, logLimit, clock, () -> LockSupport.parkNanos(LINGER_NANOS));
    }

    /** @param pause one pause of the task that begins started jobs, while it lingers */
    ThreadJobRunner(Executor executor, long logLimit, Clock clock, Runnable pause) {
        this.executor = executor;
        this.logLimit = logLimit;
        this.clock = clock;
        this.pause = pause;
    }

    @Override
    public void start(RunnerJob job) {
        job.attach(new AttemptClaim()); // the attempt's claim: a job started twice (a retry) has the later one
        HandOver h = handingOver.get() > 0 ? HAND_OVER.get() : null;
        if (h != null && h.runner == this && h.next == null) {
            h.next = job; // a worker of this runner is letting go of its job: it runs this one next
            return;
        }
        synchronized (toBegin) {
            toBegin.addLast(job);
        }
        if (!beginning.get() && beginning.compareAndSet(false, true)) {
            handToPool();
        }
    }

    /**
     * Gives the pool a task that begins the started jobs. If the pool refuses it, the jobs nobody has claimed fail
     * with what it threw, as a job the runner cannot start does.
     */
    private void handToPool() {
        try {
            executor.execute(beginStarted);
        } catch (RuntimeException e) {
            beginning.set(false);
            RunnerJob job;
            while ((job = nextToBegin()) != null) {
                if (claim(job) != null) {
                    job.attach(null);
                    job.failed(JobError.of(JobError.Kind.EXCEPTION, e));
                    job.workerFinished();
                }
            }
        }
    }

    /**
     * Skips the started jobs waiting callers have claimed, and runs the first one it claims itself, once it has
     * handed the rest to a new task. Returns when no started job is left unclaimed and none has come for {@link
     * #LINGER_ROUNDS} pauses.
     */
    private void beginStarted() {
        int pauses = 0;
        while (true) {
            RunnerJob job = nextToBegin();
            AttemptClaim claim;
            if (job == null) {
                if (pauses < LINGER_ROUNDS && !Thread.currentThread().isInterrupted()) {
                    pauses++;
                    pause.run();
                    continue;
                }
                beginning.set(false);
                // a job started after the poll saw the flag still set: begin it here unless a new task has
                if (noneToBegin() || !beginning.compareAndSet(false, true)) {
                    return;
                }
            } else if ((claim = claim(job)) != null) {
                beginning.set(false);
                if (!noneToBegin() && beginning.compareAndSet(false, true)) {
                    handToPool();
                }
                runFrom(job, claim);
                return;
            } else {
                pauses = 0; // its caller runs it: callers are training, so the next job is likely near
            }
        }
    }

    /** Claims the job's current attempt for the calling thread: its claim, or null if another thread has it. */
    private static AttemptClaim claim(RunnerJob job) {
        return job.attachment() instanceof AttemptClaim claim && claim.claim() ? claim : null;
    }

    private RunnerJob nextToBegin() {
        synchronized (toBegin) {
            return toBegin.pollFirst();
        }
    }

    private boolean noneToBegin() {
        synchronized (toBegin) {
            return toBegin.isEmpty();
        }
    }

    /**
     * Runs the job on the calling thread if nobody has claimed it, then puts back what it changed there: the
     * {@code training_id} in the MDC, the context class loader, and the interrupt flag (an interrupt that stopped
     * the job is cleared; any other is set again once the job has been let go of). A caller already interrupted
     * claims nothing: its wait throws at once, as it would have.
     */
    @Override
    public boolean runHere(RunnerJob job) {
        Thread caller = Thread.currentThread();
        AttemptClaim claim;
        if (caller.isInterrupted() || (claim = claim(job)) == null) {
            return false;
        }
        String outerId = MDC.get("training_id");
        ClassLoader loader = caller.getContextClassLoader();
        LocalTrainingContext context = new LocalTrainingContext(job, logLimit, keepLog, clock);
        try {
            attempt(job, claim, context).report(job);
        } finally {
            try {
                job.workerFinished();
            } finally {
                if (outerId != null) {
                    MDC.put("training_id", outerId);
                }
                caller.setContextClassLoader(loader);
                if (context.interruptedElsewhere()) {
                    caller.interrupt();
                }
            }
        }
        return true;
    }

    /**
     * Runs {@code first}, then each job started while its worker let go of the previous one (the next queued job
     * taking the freed slot), which so needs no other thread woken.
     */
    private void runFrom(RunnerJob first, AttemptClaim firstClaim) {
        HandOver slot = HAND_OVER.get();
        if (slot == null) {
            slot = new HandOver();
            HAND_OVER.set(slot);
        }
        RunnerJob job = first;
        AttemptClaim claim = firstClaim;
        while (job != null) {
            try {
                attempt(job, claim, new LocalTrainingContext(job, logLimit, keepLog, clock))
                        .report(job);
            } finally {
                slot.runner = this;
                handingOver.incrementAndGet();
                try {
                    job.workerFinished();
                } finally {
                    handingOver.decrementAndGet();
                    slot.runner = null;
                }
            }
            job = slot.next;
            slot.next = null;
            if (job != null && (claim = claim(job)) == null) {
                job = null; // a caller waiting for it claimed it first
            }
        }
    }

    /**
     * Trains and saves the job, and lets go of everything the attempt held on this thread before the outcome is
     * reported: a caller the report wakes finds the worker done, and the worker has little left to do once it has
     * woken the caller (had it more, the caller's next job would find it busy and wake another thread).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private Outcome attempt(RunnerJob job, AttemptClaim claim, LocalTrainingContext context) {
        MDC.put("training_id", job.id());
        claim.running(context);
        try {
            long t0 = System.nanoTime();
            Model model = ((ModuleType) job.moduleType()).train(job.parameters(), context);
            long trained = System.nanoTime();
            if (job.isStopRequested()) {
                return Outcome.STOPPED;
            }
            if (model == null) {
                throw new IllegalStateException("Module " + job.module().name() + " returned no model");
            }
            if (job.savePath().isPresent()) {
                try {
                    ModelFormat.save(model, job.savePath().get(), job.id());
                } catch (RuntimeException e) {
                    return Outcome.failed(JobError.of(JobError.Kind.SAVE_FAILED, e));
                }
            }
            return new Outcome(model, trained - t0, System.nanoTime() - trained, null);
        } catch (TrainingCancelledException e) {
            return job.isStopRequested() ? Outcome.STOPPED : Outcome.failed(JobError.of(JobError.Kind.EXCEPTION, e));
        } catch (Throwable t) {
            return job.isStopRequested() ? Outcome.STOPPED : Outcome.failed(JobError.of(kindOf(t), t));
        } finally {
            MDC.remove("training_id");
            context.close();
            claim.ended(); // after this, nothing interrupts the thread to stop this job
            job.attach(null);
            if (Thread.interrupted() && !context.interruptedWorker()) {
                context.noteInterruptedElsewhere();
            }
        }
    }

    @Override
    public String logs(RunnerJob job) {
        CapturedLog log = logs.get(job);
        return log != null ? log.text() : "";
    }

    @Override
    public void stop(RunnerJob job) {
        // a running attempt's worker is interrupted under its claim's lock, which it takes to end the attempt before
        // it clears its interrupt flag: a pooled thread that has moved on to another job is never interrupted for this
        if (job.attachment() instanceof AttemptClaim claim && claim.stop()) {
            job.attach(null);
            job.workerFinished(); // nobody began it and now nobody will: its module never runs, its slot is free
        }
    }

    @Override
    public boolean requestCheckpoint(RunnerJob job) {
        LocalTrainingContext context = job.attachment() instanceof AttemptClaim claim ? claim.context() : null;
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

    /** How an attempt ended: a model to report, an error to report, or nothing (the job was stopped). */
    private record Outcome(Model model, long trainNanos, long saveNanos, JobError error) {
        static final Outcome STOPPED = new Outcome(null, 0, 0, null);

        static Outcome failed(JobError error) {
            return new Outcome(null, 0, 0, error);
        }

        void report(RunnerJob job) {
            if (error != null) {
                job.failed(error);
            } else if (model != null) {
                job.succeeded(model, trainNanos, saveNanos);
            }
        }
    }
}
