package dev.kiln.server.dashboard;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.trainer.TrainerFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A real server on port 0 for the browser tests, training {@link EpochModule} with two slots
 * ({@code max_concurrent_jobs: 2}), with helpers to submit trainings and open their epoch gates.
 */
final class DashboardServer implements AutoCloseable {
    static final String ROUTE = "/api/v1/SampleTaskEpochModuleTrain";

    private final Path dir;
    private final ModelManager manager;
    private final KilnServer server;
    private final Http http;

    private DashboardServer(Path dir, ModelManager manager, KilnServer server, Http http) {
        this.dir = dir;
        this.manager = manager;
        this.server = server;
        this.http = http;
    }

    /** Starts a server over {@code dir}; {@code token} (or null) is the bearer token it requires. */
    static DashboardServer start(Path dir, String token) {
        KilnConfig config = TestServer.config(dir, """
                model_management:
                  trainers:
                    default:
                      config:
                        max_concurrent_jobs: 2
                """);
        ModelManager manager = ModelManager.fromConfig(
                config, TrainerFactory.discover(), new ModuleRegistry(List.of(new EpochModule())));
        try {
            KilnServer server = KilnServer.builder(config)
                    .environment(token == null ? Map.of() : Map.of("KILN_AUTH_TOKEN", token))
                    .manager(manager)
                    .port(0)
                    .eventHeartbeat(Duration.ofSeconds(2))
                    .build()
                    .start();
            Http http = new Http(server.baseUri());
            return new DashboardServer(dir, manager, server, token == null ? http : http.withToken(token));
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** The page's address. */
    String url() {
        return server.baseUri() + "/";
    }

    /** A client that sends the token, if the server has one. */
    Http http() {
        return http;
    }

    /** Writes a JSON Lines data file of {@code records} records into the data directory; answers its name. */
    String dataFile(String name, int records) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < records; i++) {
            sb.append("{\"number\": ")
                    .append(i)
                    .append(", \"label\": \"l")
                    .append(i % 2)
                    .append("\"}\n");
        }
        try {
            Files.writeString(dir.resolve("data").resolve(name), sb);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return name;
    }

    /** A fresh directory of epoch gates for one training. */
    Path gates(String name) {
        try {
            return Files.createDirectories(dir.resolve("gates").resolve(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Lets a gated training run through epoch {@code last}. */
    static void openThrough(Path gates, int last) {
        try {
            for (int epoch = 1; epoch <= last; epoch++) {
                Path gate = gates.resolve("epoch-" + epoch);
                if (!Files.exists(gate)) {
                    Files.writeString(gate, "go");
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Submits a training through the API; answers its id. */
    String train(String modelName, ObjectNode parameters) {
        Http.Reply r = http.post(ROUTE, TestServer.request(modelName, parameters));
        if (r.status() != 200) {
            throw new AssertionError("The server refused training " + modelName + ": " + r);
        }
        return r.json().get("training_id").asText();
    }

    /** A training's detail from the API. */
    JsonNode detail(String id) {
        Http.Reply r = http.get("/management/trainings/" + id);
        if (r.status() != 200) {
            throw new AssertionError("No detail for " + id + ": " + r);
        }
        return r.json();
    }

    /** Waits (polling the API) until a training is in {@code state}. */
    void awaitState(String id, String state) {
        await().atMost(TestServer.WAIT)
                .until(() -> detail(id).get("state").asText().equals(state));
    }

    /** Waits until a training has reported {@code step}. */
    void awaitStep(String id, int step) {
        await().atMost(TestServer.WAIT)
                .until(() -> detail(id).path("progress").path("step").asInt() >= step);
    }

    @Override
    public void close() {
        try {
            server.stop(Duration.ZERO);
        } finally {
            manager.close();
        }
    }
}
