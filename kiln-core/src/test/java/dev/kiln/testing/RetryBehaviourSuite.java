package dev.kiln.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.Attempt;
import dev.kiln.job.Attempt.Outcome;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How a trainer retries: a failure worth another attempt is retried from the latest checkpoint, every attempt is
 * listed, retries run out, a module's own exception is final, and a cancel during the backoff is final. Each LOCAL
 * execution mode runs it by extending this class and saying how to build its trainer.
 */
public abstract class RetryBehaviourSuite {
    protected static final Duration WAIT = Duration.ofSeconds(60);
    private static final Map<String, Object> QUICK = Map.of("initial", "0.01s", "max", "0.01s");

    @TempDir
    protected Path tmp;

    private final List<ModelTrainer> trainers = new ArrayList<>();

    /** A trainer for this mode with the given {@code config} keys on top of the mode's own. */
    protected abstract ModelTrainer newTrainer(Map<String, Object> config, Clock clock);

    private ModelTrainer trainer(Map<String, Object> config) {
        ModelTrainer t = newTrainer(config, Clock.systemUTC());
        trainers.add(t);
        return t;
    }

    @AfterEach
    void closeTrainers() {
        trainers.forEach(ModelTrainer::close);
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
        ModelTrainer trainer = trainer(Map.of("retry_backoff", QUICK));
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
        ModelTrainer trainer = trainer(Map.of("retry_backoff", QUICK, "max_retries", 1));
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
        ModelTrainer trainer = trainer(Map.of("retry_backoff", QUICK, "max_retries", 5));
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
        ModelTrainer trainer = trainer(Map.of("retry_backoff", QUICK));
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

    @Test
    void aCancelDuringTheBackoffIsFinalAndFreesTheSlot() throws Exception {
        ModelTrainer trainer =
                trainer(Map.of("retry_backoff", Map.of("initial", "1h", "max", "1h"), "max_concurrent_jobs", 1));
        Path log = attemptLog();
        ModelFuture future = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withFailingAttempts(1, 3, log), TrainOptions.none());
        await().atMost(WAIT)
                .until(() -> future.info().currentAttempt() != null
                        && future.info().currentAttempt().outcome() == Outcome.RETRIED);
        ModelFuture next = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(next.info().status())
                .as("the retrying training holds the only slot")
                .isEqualTo(JobStatus.QUEUED);

        future.cancel();

        JobInfo info = awaitDone(future);
        assertThat(info.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(info.attempts()).extracting(Attempt::outcome).containsExactly(Outcome.RETRIED);
        assertThat(awaitDone(next).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(Files.readAllLines(log)).as("no further attempt").containsExactly("0");
        assertThat(future.info().attempts()).hasSize(1);
    }
}
