package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.Settings;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.RetryableTrainingException;
import dev.kiln.module.TrainingContext;
import dev.kiln.testing.FakeScheduler;
import dev.kiln.testing.SampleModel;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.net.URL;
import java.net.URLClassLoader;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;
import org.slf4j.MdcAdapters;
import org.slf4j.helpers.BasicMDCAdapter;
import org.slf4j.spi.MDCAdapter;

/**
 * A caller whose untimed {@code await()} finds a started job that no pool thread has begun runs it on its own thread.
 * The pool here holds what it is given until the test lets it run, so which thread claims a job is decided by the
 * test, not by timing.
 */
class AwaitRunsUnstartedJobTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final HeldExecutor pool = new HeldExecutor();
    private final List<LocalModelTrainer> trainers = new ArrayList<>();
    private final ExecutorService others = Executors.newCachedThreadPool();

    @AfterEach
    void close() {
        Thread.interrupted();
        trainers.forEach(LocalModelTrainer::close);
        others.shutdownNow();
        pool.real.shutdownNow();
    }

    private LocalModelTrainer trainer(Map<String, Object> config) {
        return trainer(config, null);
    }

    /** @param time the trainer's clock and timers, or null for real ones */
    private LocalModelTrainer trainer(Map<String, Object> config, FakeScheduler time) {
        Map<String, Object> all = new HashMap<>(config);
        all.put("use_subprocess", false);
        JsonNode json = KilnJson.data().valueToTree(all);
        LocalModelTrainer.Builder builder = LocalModelTrainer.builder()
                .name("helping-test")
                .settings(LocalTrainerSettings.from(new Settings("test.config", json)))
                .executor(pool);
        if (time != null) {
            builder.clock(time.clock()).scheduler(time);
        }
        LocalModelTrainer t = builder.build();
        trainers.add(t);
        return t;
    }

    private LocalModelTrainer trainer() {
        return trainer(Map.of());
    }

    @Test
    void awaitRunsAnUnstartedJobOnTheCallingThreadAndThePoolFindsItTaken() throws Exception {
        LocalModelTrainer trainer = trainer();
        List<JobEvent.Kind> events = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> events.add(e.kind()));
        Scripted module = new Scripted(context -> {
            context.reportProgress(1, 2, Map.of());
            context.reportProgress(2, 2, Map.of());
        });

        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).containsExactly(Thread.currentThread());
        assertThat(events)
                .containsExactly(
                        JobEvent.Kind.SUBMITTED,
                        JobEvent.Kind.STARTED,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.FINISHED);
        assertThat(pool.held()).isEqualTo(1);
        pool.runHeld();
        assertThat(module.threads).hasSize(1);
        assertThat(job.load()).isInstanceOf(SampleModel.class);
    }

    @Test
    void aJobAPoolThreadHasBegunIsOnlyWaitedFor() throws Exception {
        LocalModelTrainer trainer = trainer();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Scripted module = new Scripted(context -> {
            started.countDown();
            release.await();
        });
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        Thread poolThread = new Thread(pool::runHeld, "late-pool-thread");
        poolThread.start();
        started.await();

        release.countDown();
        assertThat(job.await().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).containsExactly(poolThread);
    }

    @Test
    void aTimedAwaitNeverRunsTheJob() throws Exception {
        LocalModelTrainer trainer = trainer();
        Scripted module = new Scripted(context -> {});
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());

        assertThat(job.await(Duration.ZERO).status()).isEqualTo(JobStatus.RUNNING);
        assertThat(module.threads).isEmpty();
        pool.runHeld();
        assertThat(job.await().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aCallerWaitingForAQueuedJobDoesNotRunItBeyondTheLimit() throws Exception {
        LocalModelTrainer trainer = trainer(Map.of("max_concurrent_jobs", 1));
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostRunning = new AtomicInteger();
        Scripted module = new Scripted(context -> mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max));
        module.after = running::decrementAndGet;
        ModelFuture first = trainer.train(module, new Script(), TrainOptions.none());
        ModelFuture second = trainer.train(module, new Script(), TrainOptions.none());
        assertThat(second.info().status()).isEqualTo(JobStatus.QUEUED);

        AtomicReference<JobInfo> secondEnd = new AtomicReference<>();
        Thread waiter = new Thread(
                () -> {
                    try {
                        secondEnd.set(second.await());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                },
                "waits-for-second");
        waiter.start();
        await().atMost(WAIT).until(() -> waiter.getState() == Thread.State.WAITING);
        assertThat(second.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(module.threads).isEmpty();

        assertThat(first.await().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).containsExactly(Thread.currentThread());
        assertThat(second.info().status()).isEqualTo(JobStatus.RUNNING);
        pool.runHeld(); // the first job's task finds it taken; the second's runs it
        waiter.join();

        assertThat(secondEnd.get().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(mostRunning).hasValue(1);
        assertThat(module.threads).hasSize(2).doesNotContain(waiter);
    }

    @Test
    void cancellingAJobTheCallerRunsStopsItAndLeavesTheCallerUninterrupted() throws Exception {
        LocalModelTrainer trainer = trainer();
        CountDownLatch started = new CountDownLatch(1);
        Scripted module = untilInterrupted(started);
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        once(started, () -> job.cancel());

        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(module.threads).containsExactly(Thread.currentThread());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aJobCancelledBeforeAnyThreadBeganItNeverRunsAndFreesItsSlot() throws Exception {
        LocalModelTrainer trainer = trainer(Map.of("max_concurrent_jobs", 1));
        Scripted module = new Scripted(context -> {});
        ModelFuture first = trainer.train(module, new Script(), TrainOptions.none());
        ModelFuture second = trainer.train(module, new Script(), TrainOptions.none());
        assertThat(first.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(second.info().status()).isEqualTo(JobStatus.QUEUED);

        first.cancel();

        assertThat(first.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(second.info().status()).isEqualTo(JobStatus.RUNNING); // the slot went to the queued job
        pool.runHeld(); // the first job's task finds it gone; the second's runs it
        assertThat(second.await().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).hasSize(1);
        assertThat(first.await().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(module.threads).hasSize(1);
    }

    @Test
    void aJobTheCallerRunsPastMaxDurationErrorsAndLeavesTheCallerUninterrupted() throws Exception {
        FakeScheduler time = new FakeScheduler();
        LocalModelTrainer trainer = trainer(Map.of("max_duration", "10m"), time);
        CountDownLatch started = new CountDownLatch(1);
        Scripted module = untilInterrupted(started);
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        once(started, () -> time.advance(Duration.ofMinutes(10)));

        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(end.errors()).extracting(JobError::kind).containsExactly(JobError.Kind.TIMEOUT);
        assertThat(module.threads).containsExactly(Thread.currentThread());
        assertThat(Thread.currentThread().isInterrupted()).isFalse();
    }

    @Test
    void aCallerInterruptedBeforeItWaitsThrowsAndRunsNothing() throws Exception {
        LocalModelTrainer trainer = trainer();
        Scripted module = new Scripted(context -> {});
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());

        Thread.currentThread().interrupt();
        assertThatThrownBy(job::await).isInstanceOf(InterruptedException.class);

        assertThat(module.threads).isEmpty();
        Thread poolThread = new Thread(pool::runHeld, "late-pool-thread");
        poolThread.start();
        poolThread.join();
        assertThat(job.await().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).containsExactly(poolThread);
    }

    @Test
    void anInterruptOfTheCallerWhileItRunsTheJobIsKeptForTheCaller() throws Exception {
        LocalModelTrainer trainer = trainer();
        CountDownLatch started = new CountDownLatch(1);
        Scripted module = new Scripted(context -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(); // until interrupted
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // this module passes the interrupt on and ends normally
            }
        });
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        Thread caller = Thread.currentThread();
        once(started, () -> caller.interrupt());

        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(module.threads).containsExactly(caller);
        assertThat(Thread.interrupted()).isTrue();
    }

    @Test
    void theCallersClassLoaderIsRestored() throws Exception {
        LocalModelTrainer trainer = trainer();
        ClassLoader callers = new URLClassLoader(new URL[0], getClass().getClassLoader());
        ClassLoader modules = new URLClassLoader(new URL[0], getClass().getClassLoader());
        Scripted module = new Scripted(context -> Thread.currentThread().setContextClassLoader(modules));
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        ClassLoader before = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(callers);
        try {
            assertThat(job.await().status()).isEqualTo(JobStatus.COMPLETED);

            assertThat(module.threads).containsExactly(Thread.currentThread());
            assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(callers);
        } finally {
            Thread.currentThread().setContextClassLoader(before);
        }
    }

    @Test
    void theCallersLoggingContextIsRestored() throws Exception {
        MDCAdapter before = MdcAdapters.swap(new BasicMDCAdapter());
        try {
            LocalModelTrainer trainer = trainer();
            AtomicReference<String> idSeen = new AtomicReference<>();
            Scripted module = new Scripted(context -> idSeen.set(MDC.get("training_id")));
            ModelFuture withOuter = trainer.train(module, new Script(), TrainOptions.none());
            ModelFuture without = trainer.train(module, new Script(), TrainOptions.none());

            MDC.put("training_id", "outer");
            assertThat(withOuter.await().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(idSeen).hasValue(withOuter.id());
            assertThat(MDC.get("training_id")).isEqualTo("outer");

            MDC.remove("training_id");
            assertThat(without.await().status()).isEqualTo(JobStatus.COMPLETED);
            assertThat(idSeen).hasValue(without.id());
            assertThat(MDC.get("training_id")).isNull();
            assertThat(module.threads).containsExactly(Thread.currentThread(), Thread.currentThread());
        } finally {
            MDC.remove("training_id");
            MdcAdapters.swap(before);
        }
    }

    @Test
    void aHelpedAttemptThatFailsRetryablyIsRetriedOnThePool() throws Exception {
        LocalModelTrainer trainer = trainer(Map.of(
                "max_retries", 1, "retry_backoff", Map.of("initial", "0s", "max", "0s", "multiplier", 1, "jitter", 0)));
        AtomicInteger attempts = new AtomicInteger();
        Scripted module = new Scripted(context -> {
            if (attempts.incrementAndGet() == 1) {
                // the pool thread woken for the first attempt wakes now, finds it taken, and begins what follows
                others.execute(pool::runHeld);
                throw new RetryableTrainingException("first attempt fails");
            }
        });
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());
        pool.letThrough(); // a task the retry needs goes to a real pool

        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(end.attempt()).isEqualTo(2);
        assertThat(module.threads).hasSize(2).first().isEqualTo(Thread.currentThread());
        assertThat(module.threads.get(1)).isNotEqualTo(Thread.currentThread());
    }

    @Test
    void aHelpedJobThatRunsOutOfHeapErrorsAndTheCallerGoesOn() throws Exception {
        LocalModelTrainer trainer = trainer();
        Scripted module = new Scripted(context -> {
            throw new OutOfMemoryError("Java heap space");
        });
        ModelFuture job = trainer.train(module, new Script(), TrainOptions.none());

        JobInfo end = job.await();

        assertThat(end.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(end.errors()).extracting(JobError::kind).containsExactly(JobError.Kind.OUT_OF_MEMORY);
        assertThat(module.threads).containsExactly(Thread.currentThread());
    }

    @Test
    void aCheckpointRequestReachesAJobTheCallerRuns() throws Exception {
        LocalModelTrainer trainer = trainer();
        CountDownLatch started = new CountDownLatch(1);
        Scripted module = new Scripted(context -> {
            started.countDown();
            await().atMost(WAIT).until(context::checkpointRequested);
        });
        LocalTrainingJob job = (LocalTrainingJob) trainer.train(module, new Script(), TrainOptions.none());
        AtomicReference<Boolean> reached = new AtomicReference<>();
        once(started, () -> reached.set(trainer.runner().requestCheckpoint(job.control())));

        assertThat(job.await().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(reached).hasValue(true);
        assertThat(module.threads).containsExactly(Thread.currentThread());
    }

    /** A module that counts {@code started} down, then waits until its thread is interrupted. */
    private static Scripted untilInterrupted(CountDownLatch started) {
        return new Scripted(context -> {
            started.countDown();
            new CountDownLatch(1).await();
        });
    }

    /** Runs {@code action} on another thread once the module has counted {@code started} down. */
    private void once(CountDownLatch started, Runnable action) {
        others.execute(() -> {
            try {
                started.await();
                action.run();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
    }

    /** Holds what it is given until {@link #runHeld()}; after {@link #letThrough()}, new tasks go to a real pool. */
    private static final class HeldExecutor implements Executor {
        final ExecutorService real = Executors.newCachedThreadPool();
        private final Queue<Runnable> tasks = new ArrayDeque<>();
        private volatile boolean through;

        @Override
        public void execute(Runnable task) {
            if (through) {
                real.execute(task);
                return;
            }
            synchronized (this) {
                tasks.add(task);
            }
        }

        synchronized int held() {
            return tasks.size();
        }

        void letThrough() {
            through = true;
        }

        /** Runs the held tasks, and any given meanwhile, on the calling thread: a pool thread waking late. */
        void runHeld() {
            while (true) {
                Runnable task;
                synchronized (this) {
                    task = tasks.poll();
                }
                if (task == null) {
                    return;
                }
                task.run();
            }
        }
    }

    interface Step {
        void run(TrainingContext context) throws Exception;
    }

    /** The module's parameters: none, the test's code steers it. */
    record Script() {}

    /** A module whose training runs the test's code and records the thread each attempt ran on. */
    @ModuleInfo(id = "6c0a4b4e-1f1a-4d0e-9a51-3f0b6c3d2e10", name = "Scripted", version = "0.0.1", task = "Test")
    static final class Scripted implements ModuleType<Script, SampleModel> {
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        private final Step step;
        volatile Runnable after = () -> {};

        Scripted(Step step) {
            this.step = step;
        }

        @Override
        public Class<Script> parametersType() {
            return Script.class;
        }

        @Override
        public SampleModel train(Script parameters, TrainingContext context) throws Exception {
            threads.add(Thread.currentThread());
            try {
                step.run(context);
            } finally {
                after.run();
            }
            return new SampleModel(1, 0);
        }

        @Override
        public SampleModel load(ModelDirectory directory) {
            throw new UnsupportedOperationException("kept in memory");
        }
    }
}
