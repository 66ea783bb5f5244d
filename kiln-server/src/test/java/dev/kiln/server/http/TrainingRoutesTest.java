package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The training routes against a real server on port 0 with a real HTTP client. */
class TrainingRoutesTest {
    @TempDir
    Path tmp;

    private TestServer server;
    private Http http;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "");
        http = server.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void trainsInCaikitsShapeAndSavesUnderTheOutputDirectoryWithIdAndModelName() throws Exception {
        String data = server.dataFile("train.jsonl", 3);
        ObjectNode params = TestServer.params().put("batch_size", 7);
        params.putObject("training_data")
                .putObject("data_stream")
                .putObject("file")
                .put("filename", data);

        Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, TestServer.request("my-model", params));

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode body = r.json();
        assertThat(body.get("model_name").asText()).isEqualTo("my-model");
        String id = body.get("training_id").asText();
        assertThat(fieldNames(body)).containsExactlyInAnyOrder("training_id", "model_name");

        JsonNode status = server.awaitState(id, "COMPLETED");
        assertThat(fieldNames(status))
                .containsExactlyInAnyOrder(
                        "training_id", "state", "submission_timestamp", "completion_timestamp", "reasons");
        assertThat(status.get("training_id").asText()).isEqualTo(id);
        assertThat(status.get("reasons")).isEmpty();
        Instant submitted = Instant.parse(status.get("submission_timestamp").asText());
        Instant completed = Instant.parse(status.get("completion_timestamp").asText());
        assertThat(completed).isAfterOrEqualTo(submitted);

        Path saved = tmp.resolve("models").resolve(id).resolve("my-model");
        SampleModel model = (SampleModel) ModelFormat.load(saved);
        assertThat(model.batchSize()).isEqualTo(7);
        assertThat(model.recordsSeen()).isEqualTo(3);
        assertThat(http.get("/management/trainings/" + id)
                        .json()
                        .get("save_path")
                        .asText())
                .isEqualTo(saved.toString());
    }

    @Test
    void aPriorityOnCaikitsTrainRouteShowsInKilnsDetailAndListButNotInCaikitsAnswers() {
        ObjectNode body = TestServer.request("urgent", TestServer.params());
        body.put("priority", 9);
        Http.Reply trained = http.post(TestServer.SAMPLE_ROUTE, body);
        assertThat(trained.status()).as(trained.toString()).isEqualTo(200);
        assertThat(trained.json().has("priority")).isFalse();
        String id = trained.json().get("training_id").asText();
        JsonNode status = server.awaitState(id, "COMPLETED");
        assertThat(status.has("priority")).isFalse();

        assertThat(http.get("/management/trainings/" + id)
                        .json()
                        .get("priority")
                        .asInt())
                .isEqualTo(9);
        assertThat(http.get("/management/trainings")
                        .json()
                        .get("trainings")
                        .get(0)
                        .get("priority")
                        .asInt())
                .isEqualTo(9);
        String plain = server.train("plain", TestServer.params());
        assertThat(http.get("/management/trainings/" + plain)
                        .json()
                        .get("priority")
                        .asInt())
                .isZero();
    }

    @Test
    void aPriorityThatIsNotAWholeNumberIsRefusedNamingTheField() throws Exception {
        for (String bad : new String[] {"\"high\"", "1.5", "9999999999"}) {
            ObjectNode body = TestServer.request("m", TestServer.params());
            body.set("priority", dev.kiln.json.KilnJson.strict().readTree(bad));
            Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, body);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("priority must be a whole number");
        }
    }

    @Test
    void statusIsQueuedOrRunningUntilTheTrainingEndsThenCompleted() {
        Path gate = server.gate("a");
        String id = server.train("m", TestServer.params().put("gate_file", gate.toString()));
        JsonNode running = server.awaitState(id, "RUNNING");
        assertThat(running.get("completion_timestamp").isNull()).isTrue();
        TestServer.open(gate);
        server.awaitState(id, "COMPLETED");
    }

    @Test
    void anErroredTrainingGivesTheModulesMessageAsItsReasonAndItsStackInTheDetail() {
        String id = server.train("m", TestServer.params().put("batch_size", 999));
        JsonNode status = server.awaitState(id, "ERRORED");
        assertThat(status.get("reasons").get(0).asText()).isEqualTo("Batch size of 999 is not allowed!");
        assertThat(status.get("completion_timestamp").isNull()).isFalse();
        JsonNode error =
                http.get("/management/trainings/" + id).json().get("errors").get(0);
        assertThat(error.get("kind").asText()).isEqualTo("EXCEPTION");
        assertThat(error.get("type").asText()).isEqualTo("java.lang.IllegalArgumentException");
        assertThat(error.get("stack_text").asText()).contains("at dev.kiln.testing.SampleModule.train");
    }

    @Test
    void deleteCancelsARunningTrainingAndAnswersCanceledAndLeavesAFinishedOneAsItIs() {
        String running = server.train(
                "m", TestServer.params().put("gate_file", server.gate("never").toString()));
        server.awaitState(running, "RUNNING");

        Http.Reply r = http.delete("/management/trainings?training_id=" + running);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(r.json().get("completion_timestamp").isNull()).isFalse();
        assertThat(server.status(running).get("state").asText()).isEqualTo("CANCELED");

        String done = server.train("m", TestServer.params());
        server.awaitState(done, "COMPLETED");
        assertThat(http.delete("/management/trainings?training_id=" + done)
                        .json()
                        .get("state")
                        .asText())
                .isEqualTo("COMPLETED");
    }

    @Test
    void detailShowsModuleParametersWithDefaultsResolvedDataPathsAndTimes() {
        String data = server.dataFile("d.jsonl", 2);
        ObjectNode params = TestServer.params().put("steps", 3);
        params.putObject("training_data").putObject("file").put("filename", data);
        String id = server.train("detailed", params);
        server.awaitState(id, "COMPLETED");

        JsonNode d = http.get("/management/trainings/" + id).json();

        assertThat(d.get("training_id").asText()).isEqualTo(id);
        assertThat(d.get("trainer").asText()).isEqualTo("default");
        assertThat(d.get("model_name").asText()).isEqualTo("detailed");
        assertThat(d.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(d.get("module").get("name").asText()).isEqualTo("SampleModule");
        assertThat(d.get("module").get("task").asText()).isEqualTo("SampleTask");
        assertThat(d.get("module").get("module_id").asText()).isEqualTo("00110203-0405-0607-0809-0a0b0c0d0e0f");
        assertThat(d.get("start_timestamp").isNull()).isFalse();
        assertThat(d.get("progress").get("step").asLong()).isEqualTo(3);
        assertThat(d.get("progress").get("total").asLong()).isEqualTo(3);
        assertThat(d.get("progress").get("fraction").asDouble()).isEqualTo(1.0);
        assertThat(d.get("progress").get("metrics").get("loss").asDouble()).isEqualTo(1.0 / 3);
        JsonNode p = d.get("parameters");
        assertThat(p.get("steps").asInt()).isEqualTo(3);
        assertThat(p.get("batch_size").asInt()).isEqualTo(64);
        assertThat(p.get("training_data").get("file").get("filename").asText())
                .isEqualTo(server.data().resolve(data).toString());
        assertThat(d.get("live").asBoolean()).isTrue();
        assertThat(d.get("errors")).isEmpty();
    }

    @Test
    void progressHistoryHoldsEveryReportInOrderAndCanStartAfterAStep() {
        String id = server.train("m", TestServer.params().put("steps", 5));
        server.awaitState(id, "COMPLETED");

        await().atMost(TestServer.WAIT)
                .until(() -> http.get("/management/trainings/" + id + "/progress")
                                .json()
                                .get("points")
                                .size()
                        == 5);
        JsonNode points =
                http.get("/management/trainings/" + id + "/progress").json().get("points");
        for (int i = 0; i < 5; i++) {
            assertThat(points.get(i).get("step").asLong()).isEqualTo(i + 1);
            assertThat(points.get(i).get("total").asLong()).isEqualTo(5);
            assertThat(points.get(i).get("metrics").get("loss").asDouble()).isEqualTo(1.0 / (i + 1));
        }
        JsonNode later = http.get("/management/trainings/" + id + "/progress?after_step=3")
                .json()
                .get("points");
        assertThat(later).hasSize(2);
        assertThat(later.get(0).get("step").asLong()).isEqualTo(4);
    }

    @Test
    void listsNewestFirstFilteredByStateAndPaged() {
        String errored = server.train("e", TestServer.params().put("batch_size", 999));
        server.awaitState(errored, "ERRORED");
        List<String> completed = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            String id = server.train("c" + i, TestServer.params());
            server.awaitState(id, "COMPLETED");
            completed.add(id);
        }

        JsonNode all = http.get("/management/trainings").json();
        assertThat(all.get("total").asLong()).isEqualTo(4);
        assertThat(ids(all)).containsExactly(completed.get(2), completed.get(1), completed.get(0), errored);
        JsonNode first = all.get("trainings").get(0);
        assertThat(first.get("model_name").asText()).isEqualTo("c2");
        assertThat(first.get("module").get("name").asText()).isEqualTo("SampleModule");
        assertThat(first.get("state").asText()).isEqualTo("COMPLETED");

        JsonNode onlyErrored = http.get("/management/trainings?state=ERRORED").json();
        assertThat(ids(onlyErrored)).containsExactly(errored);
        assertThat(onlyErrored.get("trainings").get(0).get("reasons").get(0).asText())
                .contains("999");

        JsonNode page = http.get("/management/trainings?state=COMPLETED,ERRORED&limit=2&offset=1")
                .json();
        assertThat(page.get("total").asLong()).isEqualTo(4);
        assertThat(page.get("limit").asInt()).isEqualTo(2);
        assertThat(page.get("offset").asInt()).isEqualTo(1);
        assertThat(ids(page)).containsExactly(completed.get(1), completed.get(0));
    }

    @Test
    void logsAreTextAndTailKeepsTheLastLines() {
        String id = server.train("m", TestServer.params().put("steps", 8));
        server.awaitState(id, "COMPLETED");
        Http.Reply all = http.get("/management/trainings/" + id + "/logs");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.header("Content-Type")).startsWith("text/plain");
        assertThat(all.body().lines()).hasSize(9).first().asString().endsWith("INFO SampleModule step 1/8");

        List<String> tail = http.get("/management/trainings/" + id + "/logs?tail=5")
                .body()
                .lines()
                .toList();
        assertThat(tail).hasSize(5);
        assertThat(tail.get(0)).endsWith("SampleModule step 5/8");
        assertThat(tail.get(4)).endsWith("SampleModule trained on 0 records with batch size 64");
    }

    @Test
    void aTrainingIdOfATrainingThatEndedCanBeReusedForARetry() {
        ObjectNode body = TestServer.request("m", TestServer.params().put("batch_size", 999));
        body.put("training_id", "retry-me");
        assertThat(http.post(TestServer.SAMPLE_ROUTE, body)
                        .json()
                        .get("training_id")
                        .asText())
                .isEqualTo("retry-me");
        server.awaitState("retry-me", "ERRORED");

        body.set("parameters", TestServer.params());
        assertThat(http.post(TestServer.SAMPLE_ROUTE, body).status()).isEqualTo(200);
        server.awaitState("retry-me", "COMPLETED");
        assertThat(http.get("/management/trainings").json().get("total").asLong())
                .isEqualTo(1);
    }

    static List<String> ids(JsonNode page) {
        List<String> ids = new ArrayList<>();
        page.get("trainings").forEach(t -> ids.add(t.get("training_id").asText()));
        return ids;
    }

    static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    static boolean exists(Path p) {
        return Files.exists(p);
    }
}
