package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.Attempt;
import dev.kiln.job.Attempt.Outcome;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.time.TrainerScheduler;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a trainer retries: a failure worth another attempt is retried from the latest checkpoint, every attempt is
 * listed, retries run out, a module's own exception is final, the next attempt starts when the backoff has passed,
 * and a cancel during the backoff is final. Backoffs are either zero or on fake time, so no test waits for one. Each
 * LOCAL execution mode runs it by extending this class and saying how to build its trainer.
 */
public abstract class RetryBehaviourSuite {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, Object> NO_WAIT = Map.of("initial", "0s", "max", "0s");
    private static final Map<String, Object> ONE_HOUR = Map.of("initial", "1h", "max", "1h", "jitter", 0);

    @TempDir
    protected Path tmp;

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** A trainer for this mode with the given {@code config} keys on top of the mode's own, timed by the two. */
    protected abstract ModelTrainer newTrainer(Map<String, Object> config, Clock clock, TrainerScheduler scheduler);

    private ModelTrainer trainer(Map<String, Object> config) {
        TrainerScheduler scheduler = TrainerScheduler.daemon("kiln-retry-test-timer");
        closing.add(scheduler);
        return trainer(config, Clock.systemUTC(), scheduler);
    }

    private ModelTrainer trainer(Map<String, Object> config, Clock clock, TrainerScheduler scheduler) {
        ModelTrainer t = newTrainer(config, clock, scheduler);
        closing.add(0, t);
        return t;
    }

    @AfterEach
    void closeTrainers() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static JobInfo awaitDone(ModelFuture f) throws InterruptedException {
        JobInfo info = f.await(WAIT);
        assertThat(info.status().isTerminal())
                .as("training %s finished within %s", f.id(), WAIT)
                .isTrue();
        return info;
    }

    private Path attemptLog() {
        return tmp.resolve("attempts-" + System.nanoTime() + ".log");
    }

    @Test
    void aRetryableFailureIsRetriedFromTheLatestCheckpointAndEveryAttemptIsListed() throws Exception {
        ModelTrainer trainer = trainer(Map.of("retry_backoff", NO_WAIT));
        Path log = attemptLog();
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withFailingAttempts(2, 4, log),
                TrainOptions.saveTo(tmp.resolve("model")));

        JobInfo info = awaitDone(future);

        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(Files.readAllLines(log))
                .as("the step each attempt resumed from")
                .containsExactly("0", "1", "2");
        assertThat(info.attempt()).isEqualTo(3);
        assertThat(info.attempts()).extracting(Attempt::number).containsExactly(1, 2, 3);
        assertThat(info.attempts())
                .extracting(Attempt::outcome)
                .containsExactly(Outcome.RETRIED, Outcome.RETRIED, Outcome.COMPLETED);
        assertThat(info.attempts().get(0).error().kind()).isEqualTo(JobError.Kind.RETRYABLE_EXCEPTION);
        assertThat(info.attempts().get(1).error().message()).isEqualTo("Attempt 2 failed after step 2");
        assertThat(info.attempts().get(2).error()).isNull();
        assertThat(info.attempts()).allSatisfy(a -> assertThat(a.ended()).isNotNull());
        assertThat(info.attempts().get(1).started())
                .isAfterOrEqualTo(info.attempts().get(0).ended());
        assertThat(info.errors()).isEmpty();
        assertThat(info.progress().step()).isEqualTo(4);
        assertThat(future.load()).isInstanceOf(SampleModel.class);
    }

    @Test
    void whenRetriesRunOutTheTrainingIsErroredWithEveryAttemptListed() throws Exception {
        ModelTrainer trainer = trainer(Map.of("retry_backoff", NO_WAIT, "max_retries", 1));
        Path log = attemptLog();
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withFailingAttempts(5, 9, log), TrainOptions.none());

        JobInfo info = awaitDone(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.RETRIED, Outcome.ERRORED);
        assertThat(info.errors()).containsExactly(info.attempts().get(1).error());
        assertThat(info.errors().get(0).message()).isEqualTo("Attempt 2 failed after step 2");
        assertThat(Files.readAllLines(log)).containsExactly("0", "1");
    }

    @Test
    void aTrainRequestMayAskForFewerRetriesThanTheTrainer() throws Exception {
        ModelTrainer trainer = trainer(Map.of("retry_backoff", NO_WAIT, "max_retries", 5));
        Path log = attemptLog();
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withFailingAttempts(5, 9, log),
                TrainOptions.none().withMaxRetries(0));

        JobInfo info = awaitDone(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.ERRORED);
        assertThat(Files.readAllLines(log)).containsExactly("0");
    }

    @Test
    void aModuleExceptionSuchAsAParameterErrorIsNotRetried() throws Exception {
        ModelTrainer trainer = trainer(Map.of("retry_backoff", NO_WAIT));
        ModelFuture future = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE),
                TrainOptions.none());

        JobInfo info = awaitDone(future);

        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors().get(0).kind()).isEqualTo(JobError.Kind.EXCEPTION);
        assertThat(info.attempts()).hasSize(1);
        assertThat(info.attempts().get(0).outcome()).isEqualTo(Outcome.ERRORED);
    }

    /** A trainer of one slot on fake time, with a one-hour backoff. */
    private ModelTrainer trainerOnFakeTime(FakeScheduler time) {
        return trainer(Map.of("retry_backoff", ONE_HOUR, "max_concurrent_jobs", 1), time.clock(), time);
    }

    /** A training that failed its first attempt and has waited out 59 minutes of its one-hour backoff. */
    private ModelFuture failOnceIntoTheBackoff(ModelTrainer trainer, FakeScheduler time, Path log) {
        Instant backoffEnds = time.clock().instant().plus(Duration.ofHours(1));
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withFailingAttempts(1, 3, log), TrainOptions.none());
        await().atMost(WAIT).until(() -> time.dueTimes().contains(backoffEnds));
        assertThat(future.info().attempts()).extracting(Attempt::outcome).containsExactly(Outcome.RETRIED);
        time.advance(Duration.ofMinutes(59));
        assertThat(future.info().attempts())
                .as("no attempt before the backoff ends")
                .hasSize(1);
        assertThat(future.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(time.dueTimes()).containsExactly(backoffEnds);
        return future;
    }

    private static Instant backoffEnds(ModelFuture future) {
        return future.info().attempts().get(0).ended().plus(Duration.ofHours(1));
    }

    @Test
    void theNextAttemptStartsWhenTheBackoffHasPassed() throws Exception {
        FakeScheduler time = new FakeScheduler();
        Path log = attemptLog();
        ModelFuture future = failOnceIntoTheBackoff(trainerOnFakeTime(time), time, log);

        time.advance(Duration.ofMinutes(1));

        JobInfo info = awaitDone(future);
        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(info.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.RETRIED, Outcome.COMPLETED);
        assertThat(info.attempts().get(1).started())
                .as("the second attempt starts an hour of fake time after the first ended")
                .isEqualTo(backoffEnds(future));
        assertThat(Files.readAllLines(log)).containsExactly("0", "1");
    }

    @Test
    void aCancelDuringTheBackoffIsFinalAndFreesTheSlot() throws Exception {
        FakeScheduler time = new FakeScheduler();
        Path log = attemptLog();
        ModelTrainer trainer = trainerOnFakeTime(time);
        ModelFuture future = failOnceIntoTheBackoff(trainer, time, log);
        ModelFuture next = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(next.info().status())
                .as("the retrying training holds the only slot")
                .isEqualTo(JobStatus.QUEUED);

        future.cancel();
        assertThat(time.dueTimes()).as("the backoff's timer is gone").doesNotContain(backoffEnds(future));
        JobInfo info = awaitDone(future);
        assertThat(info.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(info.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.RETRIED);
        // The freed slot runs the queued training. Fake time moves only once it is done: a child's silence
        // watchdog runs on the same fake time, and two hours of it would find a running child silent.
        assertThat(awaitDone(next).status()).isEqualTo(JobStatus.COMPLETED);

        time.advance(Duration.ofHours(2));
        assertThat(Files.readAllLines(log)).as("no further attempt").containsExactly("0");
        assertThat(future.info().attempts()).hasSize(1);
    }
}
