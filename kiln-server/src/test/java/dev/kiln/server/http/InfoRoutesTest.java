package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Health, version, modules, OpenAPI, metrics and the summary. */
class InfoRoutesTest {
    @TempDir
    Path tmp;

    private TestServer server;
    private Http http;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {max_concurrent_jobs: 2}
                """);
        http = server.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void healthIsPlainOk() {
        Http.Reply r = http.get("/health");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).isEqualTo("OK");
    }

    @Test
    void versionNamesKilnJavaAndTheModules() {
        JsonNode v = http.get("/info/version").json();
        assertThat(v.get("runtime_version").asText()).isNotBlank();
        assertThat(v.get("java_version").asText()).isEqualTo(System.getProperty("java.version"));
        assertThat(v.get("modules").get("SampleModule").asText()).isEqualTo("0.0.1");
    }

    @Test
    void modulesListTheirTrainRouteAndParameters() {
        JsonNode modules = http.get("/info/modules").json();
        assertThat(modules).hasSize(1);
        JsonNode m = modules.get(0);
        assertThat(m.get("name").asText()).isEqualTo("SampleModule");
        assertThat(m.get("task").asText()).isEqualTo("SampleTask");
        assertThat(m.get("train_route").asText()).isEqualTo(TestServer.SAMPLE_ROUTE);
        assertThat(m.get("module_class").asText()).isEqualTo("dev.kiln.testing.SampleModule");
        JsonNode batch = m.get("parameters").get(1);
        assertThat(batch.get("name").asText()).isEqualTo("batch_size");
        assertThat(batch.get("type").asText()).isEqualTo("integer");
        assertThat(batch.get("default_value").asInt()).isEqualTo(64);
        assertThat(batch.get("description").asText()).contains("999");
        assertThat(m.get("parameters").get(0).get("type").asText()).isEqualTo("data_stream");
    }

    @Test
    void openApiDescribesEveryModulesTrainRouteWithItsParameterSchema() {
        JsonNode doc = http.get("/openapi.json").json();
        assertThat(doc.get("openapi").asText()).startsWith("3.0");
        JsonNode post = doc.get("paths").get(TestServer.SAMPLE_ROUTE).get("post");
        JsonNode body =
                post.get("requestBody").get("content").get("application/json").get("schema");
        assertThat(body.get("required").get(0).asText()).isEqualTo("model_name");
        JsonNode params = body.get("properties").get("parameters").get("properties");
        assertThat(params.get("batch_size").get("type").asText()).isEqualTo("integer");
        assertThat(params.get("batch_size").get("default").asInt()).isEqualTo(64);
        assertThat(params.get("sleep_time").get("type").asText()).isEqualTo("number");
        assertThat(params.get("halt").get("type").asText()).isEqualTo("boolean");
        assertThat(params.get("training_data").get("$ref").asText()).isEqualTo("#/components/schemas/DataStream");
        assertThat(params.get("base_model").get("$ref").asText()).isEqualTo("#/components/schemas/ModelReference");
        assertThat(post.get("responses").fieldNames()).toIterable().contains("200", "400", "404", "408", "409", "413");
        doc.get("paths")
                .fields()
                .forEachRemaining(path -> path.getValue().fields().forEachRemaining(op -> {
                    boolean takesABody = op.getValue().has("requestBody");
                    assertThat(op.getValue().get("responses").has("408"))
                            .as("%s %s lists 408 exactly when it takes a body", op.getKey(), path.getKey())
                            .isEqualTo(takesABody);
                }));
        assertThat(doc.get("paths").fieldNames())
                .toIterable()
                .contains(
                        "/management/trainings",
                        "/management/trainings/{id}",
                        "/management/trainings/{id}/events",
                        "/management/trainings/{id}/logs",
                        "/management/trainings/{id}/progress",
                        "/management/events",
                        "/management/summary",
                        "/health",
                        "/info/version",
                        "/info/modules",
                        "/metrics");
        assertThat(doc.get("components").get("schemas").fieldNames())
                .toIterable()
                .contains("DataStream", "DataStreamSource", "TrainingStatus", "TrainingDetail", "Error");
    }

    @Test
    void metricsAreTrainingsByStateQueueLengthSubmissionsAndDurations() {
        String ok = server.train("m", TestServer.params());
        String bad = server.train("m", TestServer.params().put("batch_size", 999));
        server.awaitState(ok, "COMPLETED");
        server.awaitState(bad, "ERRORED");

        Http.Reply r = http.get("/metrics");

        assertThat(r.header("Content-Type")).startsWith("text/plain; version=0.0.4");
        assertThat(r.body())
                .contains("# TYPE kiln_trainings gauge\n")
                .contains("kiln_trainings{state=\"COMPLETED\"} 1.0\n")
                .contains("kiln_trainings{state=\"ERRORED\"} 1.0\n")
                .contains("kiln_trainings{state=\"RUNNING\"} 0.0\n")
                .contains("kiln_training_queue_length 0.0\n")
                .contains("# TYPE kiln_trainings_submitted_total counter\n")
                .contains("kiln_trainings_submitted_total{module=\"SampleModule\"} 2.0\n")
                .contains("# TYPE kiln_training_duration_seconds histogram\n")
                .contains("kiln_training_duration_seconds_count{module=\"SampleModule\",state=\"COMPLETED\"} 1\n")
                .contains("kiln_training_duration_seconds_bucket{module=\"SampleModule\",state=\"ERRORED\",le=\"+Inf\"}"
                        + " 1\n")
                .contains(
                        "kiln_training_duration_seconds_bucket{module=\"SampleModule\",state=\"COMPLETED\",le=\"86400.0\"}"
                                + " 1\n");
    }

    @Test
    void metricsIncludeTheJvmProcessAndThreadPools() {
        String body = http.get("/metrics").body();

        assertThat(body)
                .contains("# TYPE jvm_memory_used_bytes gauge\n")
                .contains("jvm_memory_used_bytes{area=\"heap\"")
                .contains("# TYPE jvm_threads_live_threads gauge\n")
                .contains("# TYPE jvm_classes_loaded_classes gauge\n")
                .contains("# TYPE process_cpu_usage gauge\n")
                .contains("# TYPE system_cpu_count gauge\n")
                .contains("# TYPE process_uptime_seconds gauge\n")
                .contains("# TYPE jetty_threads_busy gauge\n")
                .contains("executor_pool_size_threads{name=\"kiln-server-timer\"}");
    }

    @Test
    void summaryCountsStatesAndShowsTheQueueAgainstTheLimit() {
        Path gate = server.gate("g");
        String a = server.train("a", TestServer.params().put("gate_file", gate.toString()));
        String b = server.train("b", TestServer.params().put("gate_file", gate.toString()));
        String c = server.train("c", TestServer.params().put("gate_file", gate.toString()));
        server.awaitState(a, "RUNNING");
        server.awaitState(b, "RUNNING");

        JsonNode s = http.get("/management/summary").json();

        assertThat(server.status(c).get("state").asText()).isEqualTo("QUEUED");
        assertThat(s.get("counts").get("RUNNING").asLong()).isEqualTo(2);
        assertThat(s.get("counts").get("QUEUED").asLong()).isEqualTo(1);
        assertThat(s.get("queue_length").asLong()).isEqualTo(1);
        JsonNode trainer = s.get("trainers").get(0);
        assertThat(trainer.get("name").asText()).isEqualTo("default");
        assertThat(trainer.get("type").asText()).isEqualTo("LOCAL");
        assertThat(trainer.get("max_concurrent_jobs").asLong()).isEqualTo(2);
        TestServer.open(gate);
        server.awaitState(c, "COMPLETED");
    }
}
