package dev.kiln.server.serving;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.KilnYaml;
import dev.kiln.json.KilnJson;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.KeywordClassifier;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainerFactory;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * caikit's HTTP shapes, as its runtime ({@code caikit/runtime/http_server/http_server.py}) and remote client
 * ({@code caikit/runtime/client/remote_module_base.py}) use them, against a real server on port 0: each answer is
 * checked for its exact key set, since caikit's client parses answers strictly.
 */
class CaikitServingContractTest {
    static final String TRAIN = "/api/v1/TextClassificationTaskKeywordClassifierTrain";
    static final String TRAIN_ALIAS = "/api/v1/TextClassificationKeywordClassifierTrain";
    static final String PREDICT = "/api/v1/task/text-classification";
    static final String RECORDS = "[{\"text\":\"win money now\",\"label\":\"spam\"},"
            + "{\"text\":\"free money prize\",\"label\":\"spam\"},"
            + "{\"text\":\"lunch at noon\",\"label\":\"ham\"},"
            + "{\"text\":\"see you at lunch\",\"label\":\"ham\"}]";

    @TempDir
    Path dir;

    TestServer server;
    Http http;

    static TestServer start(Path dir, String yaml) {
        KilnConfig config = TestServer.config(dir, yaml);
        ModuleRegistry modules = new ModuleRegistry(List.of(new SampleModule(), new KeywordClassifier()));
        return TestServer.start(KilnServer.builder(config)
                .port(0)
                .manager(ModelManager.fromConfig(config, TrainerFactory.discover(), modules)));
    }

    @BeforeEach
    void start() throws IOException {
        server = start(dir, "runtime:\n  lazy_load_local_models: true\n");
        http = server.http();
        Files.writeString(server.data().resolve("a.jsonl"), jsonl(RECORDS));
        Files.createDirectories(server.data().resolve("d"));
        Files.writeString(server.data().resolve("d/part1.jsonl"), jsonl(RECORDS));
        Files.writeString(server.data().resolve("b.jsonl"), jsonl(RECORDS));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static String jsonl(String array) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (JsonNode r : KilnJson.strict().readTree(array)) {
            sb.append(r).append('\n');
        }
        return sb.toString();
    }

    private static JsonNode json(String text) {
        try {
            return KilnJson.strict().readTree(text);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Set<String> keys(JsonNode node) {
        Set<String> keys = new TreeSet<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private String train(String route, String modelName, String trainingData) {
        Http.Reply r = http.post(
                route + "?timeout=60",
                "{\"model_name\":\"" + modelName + "\",\"parameters\":{\"training_data\":" + trainingData + "}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(keys(r.json())).containsExactly("model_name", "training_id");
        assertThat(r.json().get("model_name").asText()).isEqualTo(modelName);
        String id = r.json().get("training_id").asText();
        server.awaitState(id, "COMPLETED");
        return id;
    }

    private Http.Reply predict(String modelId, String inputs) {
        return http.post(
                PREDICT + "?timeout=60",
                "{\"inputs\":" + inputs + ",\"parameters\":{},\"model_id\":\"" + modelId + "\"}");
    }

    private static void assertClassificationResults(Http.Reply r, String best) {
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        assertThat(keys(r.json())).containsExactly("results");
        JsonNode results = r.json().get("results");
        assertThat(results).hasSize(2);
        for (JsonNode result : results) {
            assertThat(keys(result)).containsExactly("label", "score");
        }
        assertThat(results.get(0).get("label").asText()).isEqualTo(best);
        assertThat(results.get(0).get("score").asDouble())
                .isGreaterThanOrEqualTo(results.get(1).get("score").asDouble());
    }

    private static String details(Http.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(keys(r.json())).contains("code", "details", "id");
        return r.json().get("details").asText();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{\"data_stream\":{\"data\":" + RECORDS + "}}",
                "{\"data_stream\":{\"filename\":\"a.jsonl\"}}",
                "{\"data_stream\":{\"files\":[\"a.jsonl\",\"b.jsonl\"]}}",
                "{\"data_stream\":{\"dirname\":\"d\",\"extension\":\"jsonl\"}}",
                "{\"data_stream\":{\"jsondata\":{\"data\":" + RECORDS + "}}}",
                "{\"data_stream\":{\"file\":{\"filename\":\"a.jsonl\"}}}",
                "{\"data_stream\":{\"list_of_files\":{\"files\":[\"a.jsonl\",\"b.jsonl\"]}}}",
                "{\"data_stream\":{\"directory\":{\"dirname\":\"d\",\"extension\":\"jsonl\"}}}",
                "{\"data\":" + RECORDS + "}"
            })
    void trainsFromEveryDataStreamFormAndServesTheModelUnderItsName(String trainingData) {
        String id = train(TRAIN, "spam-model", trainingData);

        assertClassificationResults(predict("spam-model", "\"win a prize\""), "spam");
        assertClassificationResults(predict(id + "/spam-model", "\"lunch today\""), "ham");
    }

    @Test
    void todaysTrainRouteStaysAnAliasAndInfoModulesListsBoth() {
        train(TRAIN_ALIAS, "by-alias", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        assertClassificationResults(predict("by-alias", "\"money\""), "spam");

        JsonNode keyword = null;
        for (JsonNode m : http.get("/info/modules").json()) {
            if (m.get("name").asText().equals("KeywordClassifier")) {
                keyword = m;
            }
        }
        assertThat(keyword).isNotNull();
        assertThat(keyword.get("train_route").asText()).isEqualTo(TRAIN);
        assertThat(keyword.get("train_aliases")).containsExactly(json("\"" + TRAIN_ALIAS + "\""));
    }

    @Test
    void parametersLeftOutTakeTheirDefaults() throws IOException {
        // caikit's client drops every false-y value (smoothing 0, lowercase false) before it posts
        train(TRAIN, "defaults", "{\"data_stream\":{\"data\":" + RECORDS + "}}");

        String path = http.get("/info/models?model_ids=defaults")
                .json()
                .get("models")
                .get(0)
                .get("model_path")
                .asText();
        JsonNode config = KilnYaml.mapper().readTree(Path.of(path, "config.yml").toFile());
        assertThat(config.get("smoothing").asDouble()).isEqualTo(1.0);
        assertThat(config.get("lowercase").asBoolean()).isTrue();
        assertClassificationResults(predict("defaults", "\"WIN MONEY\""), "spam");
    }

    @Test
    void inferenceErrorsFollowCaikitsRules() {
        train(TRAIN, "m", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        server.train("sample-model", TestServer.params());

        assertThat(details(predict("ghost", "\"x\""), 404)).contains("ghost");
        assertThat(details(http.post(PREDICT, "{\"inputs\":\"x\"}"), 400))
                .contains("Please provide model_id in payload");
        assertThat(details(predict("m", "42"), 400)).contains("inputs");
        assertThat(details(predict("m", "{\"blah\":\"x\"}"), 400)).contains("inputs.blah");
        assertThat(details(http.post(PREDICT, "{\"model_id\":\"m\",\"inputs\":\"x\",\"extra\":1}"), 400))
                .contains("'extra'");
        assertThat(details(http.post("/api/v1/task/no-such-task", "{\"model_id\":\"m\",\"inputs\":\"x\"}"), 404))
                .contains("no-such-task");
        Http.Reply text = http.send(http.request(PREDICT)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model_id\":\"m\",\"inputs\":\"x\"}")));
        assertThat(details(text, 415)).contains("text/plain");
    }

    @Test
    void aModelOfAnotherTaskIs400() {
        String sample = server.train("sample-model", TestServer.params());
        server.awaitState(sample, "COMPLETED");

        assertThat(details(predict("sample-model", "\"x\""), 400))
                .contains("'sample-model' performs SampleTask, not TextClassificationTask");
        Http.Reply ok = http.post("/api/v1/task/sample", "{\"model_id\":\"sample-model\",\"inputs\":3}");
        assertThat(ok.status()).as(ok.toString()).isEqualTo(200);
        assertThat(ok.json().asInt()).isEqualTo(3 * 64);
    }

    @Test
    void infoModelsListsEveryServedModelWithCaikitsFieldsLoadedForItsFinder() {
        String id = train(TRAIN, "listed", "{\"data_stream\":{\"data\":" + RECORDS + "}}");

        Http.Reply all = http.send(http.request("/info/models?timeout=60")
                .header("Content-Type", "application/json")
                .GET());
        assertThat(all.status()).as(all.toString()).isEqualTo(200);
        assertThat(keys(all.json())).containsExactly("models");
        List<String> names = new ArrayList<>();
        for (JsonNode m : all.json().get("models")) {
            assertThat(keys(m))
                    .containsExactlyInAnyOrder(
                            "model_path", "name", "size", "metadata", "loaded", "module_id", "module_metadata");
            assertThat(m.get("loaded").asBoolean()).isTrue();
            assertThat(m.get("module_id").asText()).isEqualTo("9d1c7e7a-3b9b-4f55-a2a4-2f6c1b8f0a11");
            assertThat(m.get("module_metadata"))
                    .isEqualTo(json("{\"name\":\"KeywordClassifier\",\"version\":\"0.0.1\"}"));
            assertThat(m.get("size").asLong()).isPositive();
            assertThat(m.get("metadata").get("training_id").asText()).isEqualTo(id);
            names.add(m.get("name").asText());
        }
        assertThat(names).containsExactlyInAnyOrder("listed", id + "/listed");

        Http.Reply one = http.get("/info/models?model_ids=listed");
        assertThat(one.json().get("models")).hasSize(1);
        assertThat(one.json().get("models").get(0).get("model_path").asText())
                .isEqualTo(server.dir()
                        .resolve("models")
                        .resolve(id)
                        .resolve("listed")
                        .toString());
        assertThat(details(http.get("/info/models?model_ids=nope"), 404)).contains("nope");
    }

    @Test
    void theNewestCompletedTrainingServesASharedNameAndEachStaysReachableByItsId() {
        String first = train(TRAIN, "shared", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        String flipped = RECORDS.replace("\"spam\"", "\"x\"")
                .replace("\"ham\"", "\"spam\"")
                .replace("\"x\"", "\"ham\"");
        String second = train(TRAIN, "shared", "{\"data_stream\":{\"data\":" + flipped + "}}");

        assertClassificationResults(predict("shared", "\"win money\""), "ham");
        assertClassificationResults(predict(second + "/shared", "\"win money\""), "ham");
        assertClassificationResults(predict(first + "/shared", "\"win money\""), "spam");
    }

    @Test
    void completedTrainingsAreServedAgainAfterARestart() {
        String id = train(TRAIN, "kept", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        server.close();

        server = start(dir, "");
        http = server.http();

        assertClassificationResults(predict("kept", "\"free prize\""), "spam");
        assertClassificationResults(predict(id + "/kept", "\"free prize\""), "spam");
    }

    @Test
    void theSavedModelDownloadsAsAZipThatDeploysUnderANewIdAndUndeploys() throws IOException {
        String id = train(TRAIN, "exported", "{\"data_stream\":{\"data\":" + RECORDS + "}}");

        HttpResponse<byte[]> zip;
        try {
            zip = http.client()
                    .send(
                            http.request("/management/trainings/" + id + "/model")
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        assertThat(zip.statusCode()).isEqualTo(200);
        assertThat(zip.headers().firstValue("Content-Type").orElse("")).startsWith("application/zip");
        ObjectNode deploy = KilnJson.strict().createObjectNode().put("model_id", "my-model");
        ArrayNode files = deploy.putArray("model_files");
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip.body()))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                files.addObject()
                        .put("filename", e.getName())
                        .put("data", Base64.getEncoder().encodeToString(in.readAllBytes()));
            }
        }
        assertThat(files.findValuesAsText("filename")).contains("config.yml", "counts.json");

        Http.Reply deployed = http.post("/management/models", deploy);
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(200);
        assertThat(deployed.json().get("name").asText()).isEqualTo("my-model");
        Path modelPath = server.dir().resolve("local-models/my-model");
        assertThat(deployed.json().get("model_path").asText()).isEqualTo(modelPath.toString());
        assertThat(modelPath).isDirectory();
        assertClassificationResults(predict("my-model", "\"money\""), "spam");
        assertThat(details(http.post("/management/models", deploy), 409)).contains("my-model");

        Http.Reply undeployed = http.delete("/management/models?model_id=my-model");
        assertThat(undeployed.status()).as(undeployed.toString()).isEqualTo(200);
        assertThat(undeployed.json()).isEqualTo(json("{\"model_id\":\"my-model\"}"));
        assertThat(modelPath).doesNotExist();
        assertThat(details(predict("my-model", "\"money\""), 404)).contains("my-model");
        assertThat(details(http.delete("/management/models?model_id=my-model"), 404))
                .contains("my-model");
    }

    @Test
    void badDeploysAreRefusedNamingTheFieldAndLeaveNothing() throws IOException {
        assertThat(details(
                        http.post(
                                "/management/models",
                                "{\"model_id\":\"bad\",\"model_files\":[{\"filename\":\"foo.txt\",\"data\":\"yikes\"}]}"),
                        400))
                .contains("model_files[0].data");
        assertThat(details(
                        http.post(
                                "/management/models",
                                "{\"model_id\":\"bad\",\"model_files\":[{\"filename\":\"foo.txt\",\"data\":\"eWlrZXM=\"}]}"),
                        400))
                .contains("config.yml");
        assertThat(details(
                        http.post(
                                "/management/models",
                                "{\"model_id\":\"bad\",\"model_files\":[{\"filename\":\"../../x\",\"data\":\"eWlrZXM=\"}]}"),
                        400))
                .contains("../../x");
        Path local = server.dir().resolve("local-models");
        try (var left = Files.list(local)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aDeployWhoseFilesDoNotLoadIsRefusedNamingTheModelAndTheCauseAndLeavesNothing() throws IOException {
        String id = train(TRAIN, "source", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        Path saved = server.dir().resolve("models").resolve(id).resolve("source");
        ObjectNode deploy = KilnJson.strict().createObjectNode().put("model_id", "broken");
        ArrayNode files = deploy.putArray("model_files");
        try (var listing = Files.list(saved)) {
            for (Path f : (Iterable<Path>) listing::iterator) {
                String name = f.getFileName().toString();
                byte[] data = name.equals("counts.json")
                        ? "{\"spam\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : Files.readAllBytes(f);
                files.addObject()
                        .put("filename", name)
                        .put("data", Base64.getEncoder().encodeToString(data));
            }
        }

        assertThat(details(http.post("/management/models", deploy), 400))
                .contains("Model 'broken' was not deployed")
                .contains("Unexpected end-of-input");
        try (var left = Files.list(server.dir().resolve("local-models"))) {
            assertThat(left).isEmpty();
        }
        assertThat(details(http.get("/info/models?model_ids=broken"), 404)).contains("broken");
        assertThat(details(predict("broken", "\"win\""), 404)).contains("broken");
    }

    @Test
    void aLocalModelWhoseFilesDoNotLoadAnswers404NamingTheCauseAndPoisonsNothing() throws IOException {
        String id = train(TRAIN, "source", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        Path from = server.dir().resolve("models").resolve(id).resolve("source");
        Path to = server.dir().resolve("local-models/broken");
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
        Files.writeString(to.resolve("counts.json"), "{\"spam\": ");

        JsonNode before =
                http.get("/info/models?model_ids=broken").json().get("models").get(0);
        assertThat(before.get("loaded").asBoolean()).isTrue();
        for (int attempt = 0; attempt < 3; attempt++) {
            assertThat(details(predict("broken", "\"win\""), 404))
                    .contains("Model 'broken' could not be loaded")
                    .contains("Unexpected end-of-input");
        }
        assertClassificationResults(predict("source", "\"win\""), "spam");
        JsonNode after =
                http.get("/info/models?model_ids=broken").json().get("models").get(0);
        assertThat(keys(after))
                .containsExactly("loaded", "metadata", "model_path", "module_id", "module_metadata", "name", "size");
        assertThat(after.get("loaded").asBoolean()).isFalse();
        assertThat(after.get("metadata").get("load_error").asText()).contains("Model 'broken' could not be loaded");

        Files.copy(
                from.resolve("counts.json"),
                to.resolve("counts.json"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertClassificationResults(predict("broken", "\"win\""), "spam");
        JsonNode mended =
                http.get("/info/models?model_ids=broken").json().get("models").get(0);
        assertThat(mended.get("loaded").asBoolean()).isTrue();
        assertThat(mended.get("metadata").has("load_error")).isFalse();
    }

    @Test
    void aModelPlacedInTheLocalModelsDirectoryIsServedUnderItsDirectoryName() throws IOException {
        String id = train(TRAIN, "source", "{\"data_stream\":{\"data\":" + RECORDS + "}}");
        Path from = server.dir().resolve("models").resolve(id).resolve("source");
        Path to = server.dir().resolve("local-models/dropped-in");
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }

        assertClassificationResults(predict("dropped-in", "\"win\""), "spam");
        JsonNode info = http.get("/info/models?model_ids=dropped-in")
                .json()
                .get("models")
                .get(0);
        assertThat(info.get("metadata").get("origin").asText()).isEqualTo("local");
    }

    @Test
    void aTrainingThatHasNotCompletedHasNoModelToDownload() {
        Path gate = server.gate("hold");
        ObjectNode params = TestServer.params().put("gate_file", gate.toString());
        String id = server.train("held", params);
        server.awaitState(id, "RUNNING");

        assertThat(details(http.get("/management/trainings/" + id + "/model"), 400))
                .contains(id)
                .contains("RUNNING");
        TestServer.open(gate);
        server.awaitState(id, "COMPLETED");
        assertThat(http.get("/management/trainings/" + id + "/model").status()).isEqualTo(200);
    }

    @Test
    void getsTolerateAJsonContentTypeAndConnectionQueryParameters() {
        for (String path :
                List.of("/health", "/info/version", "/info/modules", "/info/models", "/management/trainings")) {
            Http.Reply r = http.send(http.request(path + "?timeout=60&retries=3")
                    .header("Content-Type", "application/json")
                    .GET());
            assertThat(r.status()).as(path + " " + r).isEqualTo(200);
        }
    }
}
