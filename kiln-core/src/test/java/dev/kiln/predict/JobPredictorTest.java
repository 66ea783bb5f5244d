package dev.kiln.predict;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.testing.FakeClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JobPredictorTest {
    private final FakeClock clock = new FakeClock();
    private final List<String> purged = new ArrayList<>();
    private final JobPredictor predictor =
            new JobPredictor(Executors.newFixedThreadPool(2), Duration.ofMinutes(5), clock, j -> purged.add(j.id()));

    @AfterEach
    void close() {
        predictor.close();
    }

    @Test
    void runsQueuedThenRunningThenCompletedWithItsResult() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        PredictionJob job = predictor.submit("text-classification", "spam", false, r -> {
            started.countDown();
            release.await();
            return Map.of("label", "spam");
        });
        started.await();
        assertThat(job.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThatThrownBy(job::result)
                .isInstanceOf(KilnException.class)
                .hasMessage("Prediction " + job.id() + " is still in progress");
        release.countDown();
        JobInfo done = job.await(Duration.ofMinutes(1));
        assertThat(done.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(done.completed()).isEqualTo(clock.instant());
        assertThat(job.result()).isEqualTo(Map.of("label", "spam"));
        assertThat(predictor.job(job.id())).isSameAs(job);
    }

    @Test
    void cancelEndsARunningPredictionAtOnceAndInterruptsIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        PredictionJob job = predictor.submit("t", "m", false, r -> {
            started.countDown();
            try {
                new CountDownLatch(1).await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            return "never";
        });
        started.await();
        job.cancel();
        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        interrupted.await();
        assertThat(job.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThatThrownBy(job::result).hasMessage("Prediction " + job.id() + " was cancelled");
    }

    @Test
    void aFailureIsErroredWithTheCause() throws Exception {
        PredictionJob job = predictor.submit("t", "m", false, r -> {
            throw new IllegalStateException("model exploded");
        });
        JobInfo info = job.await(Duration.ofMinutes(1));
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors()).singleElement().hasToString("java.lang.IllegalStateException: model exploded");
        assertThatThrownBy(job::result).hasMessage("Prediction " + job.id() + " encountered an error");
    }

    @Test
    void finishedPredictionsAreForgottenAfterTheRetention() throws Exception {
        PredictionJob job = predictor.submit("t", "m", false, r -> "ok");
        job.await(Duration.ofMinutes(1));
        clock.advance(Duration.ofMinutes(5));
        assertThat(predictor.job(job.id())).isSameAs(job);
        clock.advance(Duration.ofSeconds(1));
        assertThatThrownBy(() -> predictor.job(job.id()))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessage("Unknown prediction_id: " + job.id());
        assertThat(purged).containsExactly(job.id());
    }

    @Test
    void aBatchWritesOneResultPerRecordWithProgress(@TempDir Path dir) throws Exception {
        List<JsonNode> records = List.of(
                KilnJson.data().readTree("{\"text\":\"a\"}"),
                KilnJson.data().readTree("{\"text\":\"bb\"}"),
                KilnJson.data().readTree("{\"text\":\"ccc\"}"));
        Path out = dir.resolve("job/results.jsonl");
        PredictionJob job = predictor.submit(
                "t",
                "m",
                true,
                r -> JsonLinesBatch.run(
                        records,
                        3,
                        rec -> Map.of("length", rec.get("text").asText().length()),
                        out,
                        r));
        JobInfo info = job.await(Duration.ofMinutes(1));
        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(info.progress().step()).isEqualTo(3);
        assertThat(info.progress().total()).isEqualTo(3);
        assertThat(Files.readAllLines(out)).containsExactly("{\"length\":1}", "{\"length\":2}", "{\"length\":3}");
        assertThat(dir.resolve("job/results.jsonl.partial")).doesNotExist();
    }

    @Test
    void aBatchRecordTheModelRefusesFailsTheBatchNamingTheRecordAndLeavesNoFile(@TempDir Path dir) throws Exception {
        List<JsonNode> records = List.of(
                KilnJson.data().readTree("{\"text\":\"a\"}"), KilnJson.data().readTree("{}"));
        Path out = dir.resolve("results.jsonl");
        PredictionJob job = predictor.submit(
                "t",
                "m",
                true,
                r -> JsonLinesBatch.run(
                        records,
                        2,
                        rec -> {
                            if (!rec.has("text")) {
                                throw KilnException.invalidArgument("inputs.text is missing");
                            }
                            return "ok";
                        },
                        out,
                        r));
        JobInfo info = job.await(Duration.ofMinutes(1));
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.errors().get(0).message()).isEqualTo("Record 2: inputs.text is missing");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aClosedPredictorRefusesWork() {
        predictor.close();
        assertThatThrownBy(() -> predictor.submit("t", "m", false, r -> "x"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION));
    }
}
