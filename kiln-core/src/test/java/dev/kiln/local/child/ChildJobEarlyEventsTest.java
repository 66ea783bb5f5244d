package dev.kiln.local.child;

import static dev.kiln.local.child.ChildTrainers.WAIT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.testing.FakeScheduler;
import dev.kiln.testing.SampleModule;
import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The spec reaches the worker before the job's files are opened, so the worker may report before they are: what it
 * reports meanwhile still reaches the job, and its events file. The runner's thread is held, between the spec and the
 * files, until the job has finished.
 */
class ChildJobEarlyEventsTest {
    @TempDir
    Path tmp;

    private ChildTrainers trainers;

    @AfterEach
    void close() {
        if (trainers != null) {
            trainers.close();
        }
    }

    @Test
    void eventsSentBeforeTheJobsFilesWereOpenAreWrittenToThem() throws Exception {
        CountDownLatch finished = new CountDownLatch(1);
        HeldWatchdog[] scheduler = new HeldWatchdog[1];
        trainers = new ChildTrainers(tmp.resolve("work"), time -> scheduler[0] = new HeldWatchdog(time, finished));
        LocalModelTrainer trainer = trainers.trainer(Map.of("subprocess_start_method", "spawn"));
        trainer.addListener(event -> {
            if (event.kind() == JobEvent.Kind.FINISHED) {
                finished.countDown();
            }
        });

        scheduler[0].holdNextWatchdog();
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());

        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(scheduler[0].held.await(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("the runner's thread was held until the job had finished")
                .isTrue();
        Path events = trainers.runner(trainer).jobDirectory(future.id()).resolve("events.jsonl");
        await().atMost(WAIT)
                .untilAsserted(() -> assertThat(events)
                        .content()
                        .contains("\"type\":\"started\"")
                        .contains("\"type\":\"completed\""));
    }

    /**
     * A fake scheduler that, once asked, holds the next watchdog a runner's thread starts until the job has finished:
     * the worker then sends all its events before the job's files are opened.
     */
    private static final class HeldWatchdog implements TrainerScheduler {
        private final FakeScheduler time;
        private final AtomicBoolean hold = new AtomicBoolean();
        private final CountDownLatch finished;
        final CountDownLatch held = new CountDownLatch(1);

        HeldWatchdog(FakeScheduler time, CountDownLatch finished) {
            this.time = time;
            this.finished = finished;
        }

        void holdNextWatchdog() {
            hold.set(true);
        }

        @Override
        public Cancellable schedule(Runnable task, Duration delay) {
            return time.schedule(task, delay);
        }

        @Override
        public Cancellable scheduleWithFixedDelay(Runnable task, Duration period) {
            if (Thread.currentThread().getName().contains("-child-") && hold.getAndSet(false)) {
                try {
                    if (finished.await(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                        held.countDown();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return time.scheduleWithFixedDelay(task, period);
        }

        @Override
        public long nanoTime() {
            return time.nanoTime();
        }

        @Override
        public void close() {
            time.close();
        }
    }
}
