package dev.kiln.server.testing;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.KilnYaml;
import dev.kiln.json.KilnJson;
import dev.kiln.server.KilnServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * A real server on port 0 over a temporary directory (journal, models, data), with SampleModule on the class path,
 * and helpers to submit and wait for trainings.
 */
public final class TestServer implements AutoCloseable {
    public static final String SAMPLE_ROUTE = "/api/v1/SampleTaskSampleModuleTrain";
    public static final Duration WAIT = Duration.ofSeconds(60);

    private final Path dir;
    private final KilnServer server;
    private Http http;

    private TestServer(Path dir, KilnServer server) {
        this.dir = dir;
        this.server = server;
        this.http = new Http(server.baseUri());
    }

    /** Starts a server over {@code dir} with the given YAML merged over the test defaults. */
    public static TestServer start(Path dir, String extraYaml) {
        return start(dir, extraYaml, Map.of());
    }

    public static TestServer start(Path dir, String extraYaml, Map<String, String> env) {
        return start(KilnServer.builder(config(dir, extraYaml)).environment(env).port(0));
    }

    public static TestServer start(KilnServer.Builder builder) {
        KilnServer s = builder.build().start();
        return new TestServer(s.settings().journalPath().getParent(), s);
    }

    /** The test configuration over {@code dir}: journal, models and data inside it, no shutdown grace. */
    public static KilnConfig config(Path dir, String extraYaml) {
        try {
            Files.createDirectories(dir.resolve("data"));
            ObjectNode root = (ObjectNode) KilnYaml.mapper().readTree("""
                    runtime:
                      local_models_dir: %s
                      http:
                        port: 0
                        server_shutdown_grace_period_seconds: 0
                      grpc:
                        port: 0
                      training:
                        output_dir: %s
                      journal:
                        path: %s
                    data_streams:
                      file_source_base: %s
                    """.formatted(
                            dir.resolve("local-models"),
                            dir.resolve("models"),
                            dir.resolve("journal.db"),
                            dir.resolve("data")));
            if (extraYaml != null && !extraYaml.isBlank()) {
                merge(root, (ObjectNode) KilnYaml.mapper().readTree(extraYaml));
            }
            return KilnConfig.of(root);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static void merge(ObjectNode base, ObjectNode over) {
        over.fields().forEachRemaining(e -> {
            if (base.get(e.getKey()) instanceof ObjectNode b && e.getValue() instanceof ObjectNode o) {
                merge(b, o);
            } else {
                base.set(e.getKey(), e.getValue());
            }
        });
    }

    public KilnServer server() {
        return server;
    }

    /** From now on, the helpers send {@code token}. */
    public TestServer authenticate(String token) {
        http = http.withToken(token);
        return this;
    }

    public Http http() {
        return http;
    }

    public Path dir() {
        return dir;
    }

    public Path data() {
        return dir.resolve("data");
    }

    /** An empty parameters object to fill in. */
    public static ObjectNode params() {
        return KilnJson.strict().createObjectNode();
    }

    /** A training request body for SampleModule. */
    public static ObjectNode request(String modelName, JsonNode parameters) {
        ObjectNode body = KilnJson.strict().createObjectNode();
        body.put("model_name", modelName);
        body.set("parameters", parameters);
        return body;
    }

    /** Submits a SampleModule training; returns its id. */
    public String train(String modelName, JsonNode parameters) {
        Http.Reply r = http.post(SAMPLE_ROUTE, request(modelName, parameters));
        if (r.status() != 200) {
            throw new AssertionError("training was refused: " + r);
        }
        return r.json().get("training_id").asText();
    }

    /** Writes a JSON Lines data file under the data directory; returns its relative name. */
    public String dataFile(String name, int records) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < records; i++) {
            sb.append("{\"number\": ")
                    .append(i)
                    .append(", \"label\": \"l")
                    .append(i % 2)
                    .append("\"}\n");
        }
        try {
            Files.writeString(data().resolve(name), sb.toString());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return name;
    }

    /** The caikit-shaped status of a training. */
    public JsonNode status(String id) {
        Http.Reply r = http.get("/management/trainings?training_id=" + id);
        if (r.status() != 200) {
            throw new AssertionError("no status for " + id + ": " + r);
        }
        return r.json();
    }

    /** Waits until the training is in {@code state}; returns its status. */
    public JsonNode awaitState(String id, String state) {
        await().atMost(WAIT).until(() -> status(id).get("state").asText().equals(state));
        return status(id);
    }

    /** A gate file path (not yet created) for SampleModule's {@code gate_file}. */
    public Path gate(String name) {
        return dir.resolve("gate-" + name);
    }

    /** Opens a gate. */
    public static void open(Path gate) {
        try {
            Files.writeString(gate, "go");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(Duration.ZERO);
    }
}
