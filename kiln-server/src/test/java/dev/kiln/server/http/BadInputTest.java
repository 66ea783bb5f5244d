package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every kind of bad input gets a clear error in caikit's shape, and no stored training changes. */
class BadInputTest {
    private static final int LIMIT = 4096;

    @TempDir
    Path tmp;

    private TestServer server;
    private Http http;
    private String existing;
    private String before;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "runtime: {http: {max_body_bytes: " + LIMIT + "}}");
        http = server.http();
        existing = server.train("existing", TestServer.params());
        server.awaitState(existing, "COMPLETED");
        before = http.get("/management/trainings").body();
    }

    @AfterEach
    void nothingStoredChangedAndStop() {
        try {
            assertThat(http.get("/management/trainings").body()).isEqualTo(before);
        } finally {
            server.close();
        }
    }

    private static JsonNode error(Http.Reply r, int status) {
        assertThat(r.status()).as(r.toString()).isEqualTo(status);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        JsonNode e = r.json();
        assertThat(e.get("code").asInt()).isEqualTo(status);
        assertThat(UUID.fromString(e.get("id").asText())).isNotNull();
        return e;
    }

    private static String details(Http.Reply r, int status) {
        return error(r, status).get("details").asText();
    }

    private Http.Reply train(ObjectNode params) {
        return http.post(TestServer.SAMPLE_ROUTE, TestServer.request("m", params));
    }

    @Test
    void aBodyOverTheLimitIs413() {
        String big = "{\"model_name\": \"" + "x".repeat(LIMIT) + "\"}";
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, big), 413))
                .contains(String.valueOf(LIMIT))
                .contains("runtime.http.max_body_bytes");
    }

    @Test
    void aChunkedBodyOverTheLimitIs413Too() {
        byte[] big = ("{\"model_name\": \"" + "x".repeat(LIMIT) + "\"}").getBytes();
        HttpRequest.Builder req = http.request(TestServer.SAMPLE_ROUTE)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big)));
        assertThat(details(http.send(req), 413)).contains("larger than " + LIMIT + " bytes");
    }

    @Test
    void malformedJsonIs400NamingLineAndColumn() {
        String d = details(http.post(TestServer.SAMPLE_ROUTE, "{\n  \"model_name\": \"m\",,\n}"), 400);
        assertThat(d).startsWith("Malformed JSON in the request body at line 2, column");
    }

    @Test
    void duplicateKeysTrailingGarbageAndAnEmptyBodyAre400() {
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"a\", \"model_name\": \"b\"}"), 400))
                .contains("Duplicate field 'model_name'");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"a\"} {}"), 400))
                .startsWith("Malformed JSON");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, ""), 400)).contains("empty");
    }

    @Test
    void anUnknownModuleRouteIs404ListingTheRoutes() {
        assertThat(details(http.post("/api/v1/NoSuchTaskNoSuchModuleTrain", "{\"model_name\": \"m\"}"), 404))
                .contains("/api/v1/NoSuchTaskNoSuchModuleTrain")
                .contains(TestServer.SAMPLE_ROUTE);
    }

    @Test
    void anUnknownParameterIs400NamingIt() {
        assertThat(details(train(TestServer.params().put("bogus", 1)), 400))
                .contains("Unknown parameter 'bogus'")
                .contains("SampleModule")
                .contains("batch_size");
    }

    @Test
    void aParameterOfTheWrongTypeIs400NamingIt() {
        assertThat(details(train(TestServer.params().put("batch_size", "big")), 400))
                .contains("'batch_size'")
                .contains("integer");
        assertThat(details(train(TestServer.params().put("batch_size", 1.5)), 400))
                .contains("'batch_size'");
    }

    @Test
    void aBadRequestShapeIs400NamingTheField() {
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"parameters\": {}}"), 400))
                .contains("model_name");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"m\", \"epochs\": 3}"), 400))
                .contains("Unknown field 'epochs'");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"m\", \"parameters\": [1]}"), 400))
                .contains("parameters must be a JSON object");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "[1, 2]"), 400)).contains("JSON object");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"a/b\"}"), 400))
                .contains("model_name");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"m\", \"trainer\": \"gpu\"}"), 400))
                .contains("Unknown trainer 'gpu'");
    }

    @Test
    void aMissingTrainingIdIs400() {
        assertThat(details(http.delete("/management/trainings"), 400)).contains("training_id is required");
        assertThat(details(http.get("/management/trainings?training_id="), 400)).contains("training_id");
    }

    @Test
    void anUnknownIdIs404OnEveryRoute() {
        for (String path : new String[] {
            "/management/trainings?training_id=nope",
            "/management/trainings/nope",
            "/management/trainings/nope/logs",
            "/management/trainings/nope/progress",
            "/management/trainings/nope/events"
        }) {
            assertThat(details(http.get(path), 404)).as(path).isEqualTo("Training nope was not found");
        }
        assertThat(details(http.delete("/management/trainings?training_id=nope"), 404))
                .contains("nope");
    }

    @Test
    void theExternalIdOfARunningTrainingIs409() {
        ObjectNode body = TestServer.request(
                "m", TestServer.params().put("gate_file", server.gate("g").toString()));
        body.put("training_id", "busy");
        assertThat(http.post(TestServer.SAMPLE_ROUTE, body).status()).isEqualTo(200);
        server.awaitState("busy", "RUNNING");
        String runningList = http.get("/management/trainings").body();

        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 409))
                .isEqualTo("Cannot restart training busy that is currently running");

        assertThat(http.get("/management/trainings").body()).isEqualTo(runningList);
        TestServer.open(server.gate("g"));
        server.awaitState("busy", "COMPLETED");
        before = http.get("/management/trainings").body();
    }

    @Test
    void dataPathsOutsideTheDataDirectoryAre400() throws Exception {
        Files.writeString(tmp.resolve("secret.jsonl"), "{\"number\": 1, \"label\": \"s\"}\n");
        Files.createSymbolicLink(server.data().resolve("link.jsonl"), tmp.resolve("secret.jsonl"));
        String[][] descriptors = {
            {"{\"data_stream\": {\"file\": {\"filename\": \"../secret.jsonl\"}}}", "escapes the data directory"},
            {"{\"file\": {\"filename\": \"" + tmp.resolve("secret.jsonl") + "\"}}", "must be relative"},
            {"{\"file\": {\"filename\": \"link.jsonl\"}}", "symbolic link"},
            {"{\"list_of_files\": {\"files\": [\"ok.jsonl\", \"../../x.jsonl\"]}}", "escapes"},
            {"{\"directory\": {\"dirname\": \"..\", \"extension\": \"jsonl\"}}", "escapes"},
        };
        for (String[] d : descriptors) {
            ObjectNode params = TestServer.params();
            params.set("training_data", dev.kiln.json.KilnJson.strict().readTree(d[0]));
            assertThat(details(train(params), 400))
                    .as(d[0])
                    .contains("parameter 'training_data'")
                    .contains(d[1]);
        }
    }

    @Test
    void aMalformedDataStreamIs400NamingTheParameter() {
        ObjectNode params = TestServer.params();
        params.putObject("training_data")
                .putObject("data_stream")
                .putObject("s3")
                .put("bucket", "b");
        assertThat(details(train(params), 400)).contains("training_data").contains("Unknown data stream kind 's3'");
    }

    @Test
    void anS3OutputPathIsRefusedClearly() {
        ObjectNode body = TestServer.request("m", TestServer.params());
        body.putObject("output_path").put("path", "models/x").put("bucket", "b").put("endpoint", "https://s3");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400))
                .contains("S3")
                .contains("not supported");
        body.put("output_path", "s3://bucket/models");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400)).contains("S3");
    }

    @Test
    void anOutputPathOrModelPathOutsideTheOutputDirectoryIs400() {
        ObjectNode body = TestServer.request("m", TestServer.params());
        body.put("output_path", "../elsewhere");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400))
                .contains("output_path")
                .contains("runtime.training.output_dir");
        body.put("output_path", "/tmp");
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400)).contains("output_path");

        ObjectNode params = TestServer.params();
        params.putObject("base_model").put("model_path", "/etc");
        assertThat(details(train(params), 400)).contains("base_model").contains("model_path");
    }

    @Test
    void aNulOrUnpairedSurrogateInAnyPathFieldIs400NamingTheField() {
        // JSON escapes, so the server (not the client's encoder) sees the NUL or the lone surrogate
        for (String bad : new String[] {"a\\u0000b", "\\ud800", "x\\udc00y"}) {
            ObjectNode body = TestServer.request("m", TestServer.params());
            body.put("output_path", "BAD");
            assertThat(details(post(body, bad), 400)).contains("output_path");

            assertThat(details(post(TestServer.request("BAD", TestServer.params()), bad), 400))
                    .contains("model_name");

            ObjectNode withId = TestServer.request("m", TestServer.params());
            withId.put("training_id", "BAD");
            assertThat(details(post(withId, bad), 400)).contains("training_id");

            ObjectNode params = TestServer.params();
            params.putObject("training_data").putObject("file").put("filename", "BAD");
            assertThat(details(post(TestServer.request("m", params), bad), 400))
                    .contains("training_data")
                    .contains("Data path");

            ObjectNode base = TestServer.params();
            base.putObject("base_model").put("model_path", "BAD");
            assertThat(details(post(TestServer.request("m", base), bad), 400))
                    .contains("base_model")
                    .contains("model_path");
        }
    }

    private Http.Reply post(ObjectNode body, String escapedValue) {
        return http.post(TestServer.SAMPLE_ROUTE, body.toString().replace("\"BAD\"", "\"" + escapedValue + "\""));
    }

    @Test
    void aTrainingIdOrModelNameOverTheLengthLimitIs400() {
        ObjectNode body = TestServer.request("m", TestServer.params());
        body.put("training_id", "i".repeat(256));
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400))
                .contains("training_id")
                .contains("longer than 255 bytes");
        body.put("training_id", "\u00e9".repeat(128));
        assertThat(details(http.post(TestServer.SAMPLE_ROUTE, body), 400)).contains("longer than 255 bytes");
        assertThat(details(
                        http.post(TestServer.SAMPLE_ROUTE, TestServer.request("n".repeat(4000), TestServer.params())),
                        400))
                .contains("model_name")
                .contains("4000 characters")
                .hasSizeLessThan(300);
    }

    @Test
    void badQueryParametersAre400NamingThem() {
        assertThat(details(http.get("/management/trainings?state=DONE"), 400)).contains("Unknown state 'DONE'");
        assertThat(details(http.get("/management/trainings?limit=0"), 400)).contains("limit");
        assertThat(details(http.get("/management/trainings?offset=x"), 400)).contains("offset");
        assertThat(details(http.get("/management/trainings/" + existing + "/logs?tail=-1"), 400))
                .contains("tail");
    }

    @Test
    void anUnknownRouteIs404AndAWrongMethodIs405InTheSameShape() {
        assertThat(details(http.get("/no/such/route"), 404)).contains("/no/such/route");
        error(http.send(http.request("/management/trainings").PUT(HttpRequest.BodyPublishers.noBody())), 405);
    }
}
