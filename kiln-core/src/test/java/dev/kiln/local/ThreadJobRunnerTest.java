package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.Progress;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;
import dev.kiln.testing.FakeClock;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ThreadJobRunnerTest {
    private ExecutorService executor;

    @AfterEach
    void shutDown() {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    /**
     * Stopping a job must not interrupt the pooled thread once it has moved on to another job. The pool thread's
     * {@code interrupt()} is held back, once, until the thread has either started the next job (the interrupt would
     * then hit that job) or is blocked ending the stopped job's attempt (the interrupt then hits only the
     * stopped job, whose flag the runner clears before moving on).
     */
    @Test
    void stoppingAJobDoesNotInterruptTheNextJobOnTheSameThread() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        CountDownLatch secondStarted = new CountDownLatch(1);
        CountDownLatch releaseSecond = new CountDownLatch(1);
        AtomicBoolean holdNextInterrupt = new AtomicBoolean();
        executor = Executors.newSingleThreadExecutor(task -> new Thread(task, "kiln-test-pool") {
            @Override
            public void interrupt() {
                if (holdNextInterrupt.compareAndSet(true, false)) {
                    releaseFirst.countDown();
                    await().until(() -> secondStarted.getCount() == 0 || blockedOnClaim(this));
                }
                super.interrupt();
            }
        });
        ThreadJobRunner runner = new ThreadJobRunner(executor, 10_000, new FakeClock());
        FakeJob first = new FakeJob("first", context -> {
            firstStarted.countDown();
            releaseFirst.await();
        });
        FakeJob second = new FakeJob("second", context -> {
            secondStarted.countDown();
            releaseSecond.await();
        });
        runner.start(first);
        runner.start(second);
        firstStarted.await();

        holdNextInterrupt.set(true);
        AtomicReference<Throwable> stopFailed = new AtomicReference<>();
        Thread stopper = new Thread(() -> {
            try {
                runner.stop(first);
            } catch (Throwable t) {
                stopFailed.set(t);
            }
        });
        stopper.start();
        stopper.join();
        assertThat(stopFailed.get())
                .as("the held interrupt saw the worker either begin the next job or wait to end this attempt")
                .isNull();
        releaseSecond.countDown();
        second.finished.await();

        assertThat(second.error.get()).isNull();
        assertThat(second.succeeded).isTrue();
    }

    @Test
    void anAttemptThatRanOrWasStoppedUnstartedLeavesNothingOnItsJob() throws Exception {
        HeldPool pool = new HeldPool();
        executor = pool.real;
        ThreadJobRunner runner = new ThreadJobRunner(pool, 10_000, new FakeClock());
        FakeJob ran = new FakeJob("ran", context -> {});
        FakeJob stopped = new FakeJob("stopped", context -> {
            throw new IllegalStateException("a stopped job that nobody began must never run");
        });
        runner.start(ran);
        runner.start(stopped);
        assertThat(ran.attachment()).isInstanceOf(AttemptClaim.class);

        assertThat(runner.runHere(ran)).isTrue();
        runner.stop(stopped);
        pool.release(); // the task finds both jobs taken
        pool.real.shutdown();
        assertThat(pool.real.awaitTermination(30, TimeUnit.SECONDS)).isTrue();

        assertThat(ran.succeeded).isTrue();
        assertThat(ran.attachment())
                .as("a retained job keeps nothing of its runner")
                .isNull();
        assertThat(stopped.finished.getCount()).isZero();
        assertThat(stopped.succeeded).isFalse();
        assertThat(stopped.error.get()).isNull();
        assertThat(stopped.attachment()).isNull();
        assertThat(runner.runHere(stopped))
                .as("a stopped attempt is claimed by its stop")
                .isFalse();
    }

    @Test
    void aJobStartedWhileAWorkerLetsGoOfItsJobRunsNextOnThatThreadWithNoNewTask() throws Exception {
        HeldPool pool = new HeldPool();
        executor = pool.real;
        ThreadJobRunner runner = new ThreadJobRunner(pool, 10_000, new FakeClock());
        AtomicReference<Thread> firstRanOn = new AtomicReference<>();
        AtomicReference<Thread> nextRanOn = new AtomicReference<>();
        FakeJob first = new FakeJob("first", context -> firstRanOn.set(Thread.currentThread()));
        FakeJob next = new FakeJob("next", context -> nextRanOn.set(Thread.currentThread()));
        first.onLetGo = () -> runner.start(next); // as the dispatcher gives the freed slot to a queued job
        runner.start(first);

        pool.release();

        assertThat(next.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(next.succeeded).isTrue();
        assertThat(nextRanOn.get()).isSameAs(firstRanOn.get());
        assertThat(pool.given).as("no task was given for the next job").hasValue(1);
    }

    @Test
    void jobLogLinesAreStampedByTheTrainersClock() throws Exception {
        executor = Executors.newSingleThreadExecutor();
        FakeClock clock = new FakeClock(Instant.parse("2001-02-03T04:05:06Z"));
        ThreadJobRunner runner = new ThreadJobRunner(executor, 10_000, clock);
        FakeJob job = new FakeJob("logs", context -> context.logger().info("hello"));

        runner.start(job);
        job.finished.await();

        assertThat(runner.logs(job)).contains("2001-02-03T04:05:06Z").contains("hello");
    }

    @Test
    void jobsStartedBeforeThePoolRunsItsTaskShareThatTaskAndEachBeginsOnAThreadOfItsOwn() throws Exception {
        HeldPool pool = new HeldPool();
        executor = pool.real;
        ThreadJobRunner runner = new ThreadJobRunner(pool, 10_000, new FakeClock());
        CountDownLatch bothRunning = new CountDownLatch(2);
        FakeJob first = new FakeJob("first", context -> bothBegin(bothRunning));
        FakeJob second = new FakeJob("second", context -> bothBegin(bothRunning));
        runner.start(first);
        runner.start(second);
        assertThat(pool.given).hasValue(1);

        pool.release(); // the one task claims the first job and hands the second to a new task before it runs it

        assertThat(first.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(first.error.get()).isNull();
        assertThat(first.succeeded).isTrue();
        assertThat(second.succeeded).isTrue();
        assertThat(pool.given).hasValue(2);
    }

    @Test
    void aJobStartedOnceThePoolTaskHasFoundNothingLeftGetsATaskOfItsOwn() throws Exception {
        HeldPool pool = new HeldPool();
        executor = pool.real;
        ThreadJobRunner runner = new ThreadJobRunner(pool, 10_000, new FakeClock());
        FakeJob claimed = new FakeJob("claimed", context -> {});
        runner.start(claimed);
        assertThat(runner.runHere(claimed)).isTrue();
        pool.release(); // the task finds the job taken and returns
        await().until(() -> pool.real.getCompletedTaskCount() == 1);

        FakeJob next = new FakeJob("next", context -> {});
        runner.start(next);

        next.finished.await();
        assertThat(next.succeeded).isTrue();
        assertThat(pool.given).hasValue(2);
    }

    @Test
    void aJobStartedWhileThePoolTaskLingersBeginsOnThatTaskAndWakesNoOtherThread() throws Exception {
        HeldPool pool = new HeldPool();
        HeldPauses pauses = new HeldPauses();
        ThreadJobRunner runner = afterAJobItsCallerRan(pool, pauses);
        pauses.awaitPaused(); // the pool's task found the job taken and lingers

        FakeJob background = new FakeJob("background", context -> {});
        runner.start(background);
        assertThat(pool.given).as("no task for the job started meanwhile").hasValue(1);
        assertThat(background.finished.getCount()).isEqualTo(1);
        pauses.endOne();

        assertThat(background.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(background.succeeded).isTrue();
        assertThat(pool.given).hasValue(1);
    }

    @Test
    void thePoolTaskGivesItsThreadBackOnceItsPausesFindNoNewJob() throws Exception {
        HeldPool pool = new HeldPool();
        HeldPauses pauses = new HeldPauses();
        ThreadJobRunner runner = afterAJobItsCallerRan(pool, pauses);
        pauses.endEach(ThreadJobRunner.LINGER_ROUNDS);
        await().until(() -> pool.real.getCompletedTaskCount() == 1);
        assertThat(pauses.count).hasValue(ThreadJobRunner.LINGER_ROUNDS);

        FakeJob next = new FakeJob("next", context -> {});
        runner.start(next);
        assertThat(pool.given).as("a new task, as the last one has gone").hasValue(2);
        pauses.endAll();
        assertThat(next.finished.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(next.succeeded).isTrue();
    }

    @Test
    void aJobItsCallerRunsWhileTheTaskLingersStartsTheLingerAgain() throws Exception {
        HeldPool pool = new HeldPool();
        HeldPauses pauses = new HeldPauses();
        ThreadJobRunner runner = afterAJobItsCallerRan(pool, pauses);
        pauses.awaitPaused();

        FakeJob second = new FakeJob("second", context -> {}); // trained and awaited in the same pause
        runner.start(second);
        assertThat(runner.runHere(second)).isTrue();
        pauses.endOne();
        pauses.endEach(ThreadJobRunner.LINGER_ROUNDS);

        await().until(() -> pool.real.getCompletedTaskCount() == 1);
        assertThat(pauses.count).hasValue(1 + ThreadJobRunner.LINGER_ROUNDS);
        assertThat(pool.given).hasValue(1);
    }

    /**
     * A runner on {@code pool} whose lingering pauses {@code pauses} holds, once a job's caller has claimed and run it
     * and the pool has been given the task that begins started jobs.
     */
    private ThreadJobRunner afterAJobItsCallerRan(HeldPool pool, HeldPauses pauses) {
        executor = pool.real;
        ThreadJobRunner runner = new ThreadJobRunner(pool, 10_000, new FakeClock(), pauses);
        FakeJob awaited = new FakeJob("awaited", context -> {});
        runner.start(awaited);
        assertThat(runner.runHere(awaited)).isTrue();
        pool.release();
        return runner;
    }

    @Test
    void anInterruptedPoolThreadDoesNotLinger() throws Exception {
        HeldPauses pauses = new HeldPauses();
        AtomicReference<Runnable> given = new AtomicReference<>();
        ThreadJobRunner runner = new ThreadJobRunner(given::set, 10_000, new FakeClock(), pauses);
        FakeJob awaited = new FakeJob("awaited", context -> {});
        runner.start(awaited);
        assertThat(runner.runHere(awaited)).isTrue();

        Thread poolThread = new Thread(() -> {
            Thread.currentThread().interrupt(); // as a pool being shut down does
            given.get().run();
        });
        poolThread.start();
        poolThread.join(30_000);

        assertThat(poolThread.isAlive()).as("the task returned").isFalse();
        assertThat(pauses.count).hasValue(0);
    }

    @Test
    void jobsThePoolRefusesFailAndLetGo() {
        ThreadJobRunner runner = new ThreadJobRunner(
                task -> {
                    throw new RejectedExecutionException("pool shut down");
                },
                10_000,
                new FakeClock());
        FakeJob job = new FakeJob("refused", context -> {});

        runner.start(job);

        assertThat(job.finished.getCount()).isZero();
        assertThat(job.succeeded).isFalse();
        assertThat(job.error.get().kind()).isEqualTo(JobError.Kind.EXCEPTION);
        assertThat(job.error.get().message()).contains("pool shut down");
        assertThat(runner.runHere(job)).isFalse();
    }

    /** Counts {@code both} down and waits (a bounded time) until the other job has too. */
    private static void bothBegin(CountDownLatch both) throws InterruptedException {
        both.countDown();
        if (!both.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the other job never began while this one ran");
        }
    }

    /** Pauses of a lingering task that each last until the test ends them. */
    private static final class HeldPauses implements Runnable {
        final AtomicInteger count = new AtomicInteger();
        private final Semaphore entered = new Semaphore(0);
        private final Semaphore ends = new Semaphore(0);

        @Override
        public void run() {
            count.incrementAndGet();
            entered.release();
            ends.acquireUninterruptibly();
        }

        void awaitPaused() throws InterruptedException {
            assertThat(entered.tryAcquire(30, TimeUnit.SECONDS))
                    .as("the task paused")
                    .isTrue();
        }

        void endOne() {
            ends.release();
        }

        /** Waits for each of the next {@code n} pauses and ends it. */
        void endEach(int n) throws InterruptedException {
            for (int i = 0; i < n; i++) {
                awaitPaused();
                endOne();
            }
        }

        void endAll() {
            ends.release(1_000);
        }
    }

    /** Holds the tasks it is given until {@link #release()}, then passes them (and later ones) to a real pool. */
    private static final class HeldPool implements Executor {
        final ThreadPoolExecutor real = (ThreadPoolExecutor) Executors.newCachedThreadPool();
        final AtomicInteger given = new AtomicInteger();
        private final List<Runnable> held = new ArrayList<>();
        private boolean released; // guarded by this

        @Override
        public void execute(Runnable task) {
            given.incrementAndGet();
            synchronized (this) {
                if (!released) {
                    held.add(task);
                    return;
                }
            }
            real.execute(task);
        }

        void release() {
            List<Runnable> tasks;
            synchronized (this) {
                released = true;
                tasks = List.copyOf(held);
                held.clear();
            }
            tasks.forEach(real::execute);
        }
    }

    /** Whether the thread waits for the lock of an attempt's claim, as a worker ending its attempt does. */
    private static boolean blockedOnClaim(Thread thread) {
        return thread.getState() == Thread.State.BLOCKED
                && Arrays.stream(thread.getStackTrace())
                        .anyMatch(frame -> frame.getClassName().equals(AttemptClaim.class.getName()));
    }

    private interface Training {
        void run(TrainingContext context) throws Exception;
    }

    /** A job whose training is the given code; it records how it ended. */
    private static final class FakeJob implements RunnerJob {
        private final String id;
        private final Training training;
        final CountDownLatch finished = new CountDownLatch(1);
        final AtomicReference<JobError> error = new AtomicReference<>();
        volatile boolean succeeded;
        private volatile Object attachment;

        @Override
        public Object attachment() {
            return attachment;
        }

        @Override
        public void attach(Object value) {
            attachment = value;
        }

        FakeJob(String id, Training training) {
            this.id = id;
            this.training = training;
        }

        @Override
        public CheckpointStore checkpoints() {
            return new CheckpointStore(Path.of("unused-checkpoints"), 1);
        }

        @Override
        public String id() {
            return id;
        }

        @Override
        public ModuleType<?, ?> moduleType() {
            return new ModuleType<Object, Model>() {
                @Override
                public Class<Object> parametersType() {
                    return Object.class;
                }

                @Override
                public Model train(Object parameters, TrainingContext context) throws Exception {
                    training.run(context);
                    return new Model() {
                        @Override
                        public ModuleDescriptor module() {
                            return FakeJob.this.module();
                        }

                        @Override
                        public void save(ModelWriter writer) {}
                    };
                }

                @Override
                public Model load(ModelDirectory directory) {
                    throw new UnsupportedOperationException("not loaded in these tests");
                }
            };
        }

        @Override
        public ModuleDescriptor module() {
            return new ModuleDescriptor("fake-id", "fake", "1.0.0", "test", FakeJob.class.getName());
        }

        @Override
        public Object parameters() {
            return null;
        }

        @Override
        public JobInfo info() {
            throw new UnsupportedOperationException("the runner does not read the job's state");
        }

        @Override
        public Optional<Path> savePath() {
            return Optional.empty();
        }

        @Override
        public void saveTo(Path path) {}

        @Override
        public boolean isStopRequested() {
            return false;
        }

        @Override
        public Instant now() {
            return Instant.EPOCH;
        }

        @Override
        public void progress(Progress progress) {}

        @Override
        public boolean succeeded(Model result, long trainNanos, long saveNanos) {
            succeeded = true;
            return true;
        }

        @Override
        public boolean failed(JobError jobError) {
            error.set(jobError);
            return true;
        }

        /** Runs as the worker lets go of this job, before {@link #finished} opens: where a freed slot is taken. */
        volatile Runnable onLetGo = () -> {};

        @Override
        public void workerFinished() {
            onLetGo.run();
            finished.countDown();
        }
    }
}
