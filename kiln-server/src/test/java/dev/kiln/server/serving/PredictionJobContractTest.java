package dev.kiln.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * caikit's prediction job routes ({@code /api/v1/task/{task}/job}) and Kiln's batch routes
 * ({@code /management/predictions}) on a real server on port 0, each answer checked for its exact key set.
 */
class PredictionJobContractTest {
    static final String JOB = "/api/v1/task/text-classification/job";

    @TempDir
    Path dir;

    TestServer server;
    Http http;
    String modelId;

    @BeforeEach
    void start() throws IOException {
        server = CaikitServingContractTest.start(
                dir,
                "model_management:\n  job_predictors:\n    default:\n      config:\n        max_concurrent_jobs: 1\n");
        http = server.http();
        StringBuilder lines = new StringBuilder();
        for (JsonNode r : KilnJson.strict().readTree(CaikitServingContractTest.RECORDS)) {
            lines.append(r).append('\n');
        }
        Files.writeString(server.data().resolve("a.jsonl"), lines);
        Files.writeString(
                server.data().resolve("texts.jsonl"),
                "{\"text\":\"win money now\"}\n{\"text\":\"lunch at noon\"}\n{\"text\":\"free prize\"}\n");
        Http.Reply r = http.post(
                CaikitServingContractTest.TRAIN + "?timeout=60",
                "{\"model_name\":\"spam\",\"parameters\":{\"training_data\":{\"file\":{\"filename\":\"a.jsonl\"}}}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.awaitState(r.json().get("training_id").asText(), "COMPLETED");
        modelId = "spam";
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private String submit(String model, String text) {
        Http.Reply r = http.post(JOB, "{\"model_id\":\"" + model + "\",\"inputs\":\"" + text + "\",\"parameters\":{}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(keys(r.json())).containsExactly("prediction_id");
        return r.json().get("prediction_id").asText();
    }

    private JsonNode awaitJob(String id, String state) {
        await().atMost(TestServer.WAIT)
                .until(() -> http.get(JOB + "?prediction_id=" + id)
                        .json()
                        .get("state")
                        .asText()
                        .equals(state));
        return http.get(JOB + "?prediction_id=" + id).json();
    }

    @Test
    void aJobIsSubmittedThenReportsItsStatusThenAnswersItsResultsInCaikitsShapes() {
        String id = submit(modelId, "win money");

        JsonNode status = awaitJob(id, "COMPLETED");
        assertThat(keys(status))
                .containsExactly("completion_timestamp", "prediction_id", "reasons", "state", "submission_timestamp");
        assertThat(status.get("prediction_id").asText()).isEqualTo(id);
        assertThat(status.get("reasons")).isEmpty();

        Http.Reply results = http.get(JOB + "/results?prediction_id=" + id);
        assertThat(results.status()).as(results.toString()).isEqualTo(200);
        assertThat(keys(results.json())).containsExactly("results");
        JsonNode best = results.json().get("results").get(0);
        assertThat(keys(best)).containsExactly("label", "score");
        assertThat(best.get("label").asText()).isEqualTo("spam");
    }

    @Test
    void anUnknownPredictionIdIsNotFoundOnEveryRoute() {
        for (Http.Reply r : List.of(
                http.get(JOB + "?prediction_id=nope"),
                http.delete(JOB + "?prediction_id=nope"),
                http.get(JOB + "/results?prediction_id=nope"),
                http.get("/management/predictions/nope"),
                http.delete("/management/predictions/nope"),
                http.get("/management/predictions/nope/results"))) {
            assertThat(r.status()).as(r.toString()).isEqualTo(404);
            assertThat(keys(r.json())).contains("code", "details", "id");
            assertThat(r.json().get("details").asText()).contains("nope");
        }
    }

    @Test
    void anUnknownModelIsNotFoundNamingIt() {
        Http.Reply r = http.post(JOB, "{\"model_id\":\"ghost\",\"inputs\":\"win money\",\"parameters\":{}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(404);
        assertThat(r.json().get("details").asText()).contains("ghost");

        Http.Reply batch = http.post(
                "/management/predictions",
                "{\"task\":\"text-classification\",\"model_id\":\"ghost\","
                        + "\"data_stream\":{\"file\":{\"filename\":\"a.jsonl\"}}}");
        assertThat(batch.status()).as(batch.toString()).isEqualTo(404);
        assertThat(batch.json().get("details").asText()).contains("ghost");
    }

    @Test
    void aMalformedDataStreamIsRefusedNamingTheField() {
        for (String stream : List.of("1e400", "[]", "{}", "{\"data\":1}", "{\"file\":{\"filename\":\"\"}}")) {
            Http.Reply r = http.post(
                    "/management/predictions",
                    "{\"task\":\"text-classification\",\"model_id\":\"spam\",\"data_stream\":" + stream + "}");
            assertThat(r.status()).as(stream + " " + r).isEqualTo(400);
            assertThat(r.json().get("details").asText()).as(stream).contains("data_stream");
        }
    }

    @Test
    void aBatchOverADataStreamAnswersOneJsonLinePerRecord() throws IOException {
        Http.Reply started = http.post(
                "/management/predictions",
                "{\"task\":\"text-classification\",\"model_id\":\"spam\","
                        + "\"data_stream\":{\"file\":{\"filename\":\"texts.jsonl\"}}}");
        assertThat(started.status()).as(started.toString()).isEqualTo(200);
        String id = started.json().get("prediction_id").asText();
        await().atMost(TestServer.WAIT)
                .until(() -> http.get("/management/predictions/" + id)
                        .json()
                        .get("state")
                        .asText()
                        .matches("COMPLETED|ERRORED|CANCELED"));
        JsonNode detail = http.get("/management/predictions/" + id).json();
        assertThat(detail.get("state").asText()).as(detail.toString()).isEqualTo("COMPLETED");
        assertThat(detail.get("batch").asBoolean()).isTrue();
        assertThat(detail.get("records_done").asLong()).isEqualTo(3);

        Http.Reply results = http.get("/management/predictions/" + id + "/results");
        assertThat(results.status()).as(results.toString()).isEqualTo(200);
        assertThat(results.header("Content-Type")).startsWith("application/x-ndjson");
        List<JsonNode> lines = new ArrayList<>();
        for (String line : results.body().split("\n")) {
            lines.add(KilnJson.strict().readTree(line));
        }
        assertThat(lines).hasSize(3);
        assertThat(lines.get(0).get("results").get(0).get("label").asText()).isEqualTo("spam");
        assertThat(lines.get(1).get("results").get(0).get("label").asText()).isEqualTo("ham");

        JsonNode listed = http.get("/management/predictions").json();
        assertThat(keys(listed)).containsExactly("predictions");
        assertThat(listed.get("predictions").findValuesAsText("prediction_id")).contains(id);
    }

    @Test
    void aCanceledJobReportsCanceledAndHasNoResults() throws Exception {
        // the only predictor thread is held reading a named pipe until the test writes to it
        Path pipe = server.data().resolve("held.jsonl");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        Http.Reply held = http.post(
                "/management/predictions",
                "{\"task\":\"text-classification\",\"model_id\":\"spam\","
                        + "\"data_stream\":{\"file\":{\"filename\":\"held.jsonl\"}}}");
        assertThat(held.status()).as(held.toString()).isEqualTo(200);
        String queued = submit(modelId, "win money");

        Http.Reply canceled = http.delete(JOB + "?prediction_id=" + queued);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(keys(canceled.json()))
                .containsExactly("completion_timestamp", "prediction_id", "reasons", "state", "submission_timestamp");
        assertThat(canceled.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(http.get(JOB + "?prediction_id=" + queued)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("CANCELED");
        assertThat(http.get(JOB + "/results?prediction_id=" + queued).status()).isEqualTo(404);

        String heldId = held.json().get("prediction_id").asText();
        Http.Reply heldCanceled = http.delete("/management/predictions/" + heldId);
        assertThat(heldCanceled.status()).as(heldCanceled.toString()).isEqualTo(200);
        assertThat(heldCanceled.json().get("prediction_id").asText()).isEqualTo(heldId);
        assertThat(heldCanceled.json().get("state").asText()).isEqualTo("CANCELED");
        // release the reader still blocked opening the pipe
        Thread feeder = new Thread(() -> {
            try (OutputStream out = Files.newOutputStream(pipe)) {
                out.write("{\"text\":\"lunch at noon\"}\n".getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        feeder.setDaemon(true);
        feeder.start();
    }
}
