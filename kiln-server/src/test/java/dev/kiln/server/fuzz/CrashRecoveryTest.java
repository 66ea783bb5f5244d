package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.jobs.Interruption;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.ServerProcess;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in its own JVM is killed with SIGKILL in the middle of a training, or of concurrent submissions, and
 * started again on the same journal: every acknowledged training is there with an honest state, and completed models
 * still load.
 */
class CrashRecoveryTest {
    @TempDir
    Path tmp;

    private KilnConfig config() {
        return TestServer.config(tmp, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {max_concurrent_jobs: 1}
                """);
    }

    private static String train(Http http, String model, ObjectNode params) {
        Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, TestServer.request(model, params));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("training_id").asText();
    }

    private static JsonNode status(Http http, String id) {
        return http.get("/management/trainings?training_id=" + id).json();
    }

    private static void awaitState(Http http, String id, String state) {
        await().atMost(TestServer.WAIT)
                .until(() -> status(http, id).get("state").asText().equals(state));
    }

    @Test
    void killedMidTrainingAndRestartedEveryTrainingHasAnHonestState() throws Exception {
        Map<String, String> expected = new LinkedHashMap<>();
        Map<String, JsonNode> finishedBefore = new LinkedHashMap<>();
        String completed;
        String running;
        Path started = tmp.resolve("started");

        ServerProcess first = ServerProcess.start(tmp, config(), "first");
        Http http = first.http();
        try {
            completed = train(
                    http, "kept", TestServer.params().put("batch_size", 11).put("steps", 3));
            awaitState(http, completed, "COMPLETED");
            expected.put(completed, "COMPLETED");
            String errored = train(http, "e", TestServer.params().put("batch_size", 999));
            awaitState(http, errored, "ERRORED");
            expected.put(errored, "ERRORED");
            String cancelled = train(
                    http,
                    "x",
                    TestServer.params().put("gate_file", tmp.resolve("x").toString()));
            awaitState(http, cancelled, "RUNNING");
            http.delete("/management/trainings?training_id=" + cancelled);
            expected.put(cancelled, "CANCELED");
            for (String id : expected.keySet()) {
                finishedBefore.put(id, status(http, id));
            }

            running = train(
                    http,
                    "r",
                    TestServer.params()
                            .put("gate_file", tmp.resolve("never").toString())
                            .put("started_file", started.toString()));
            await().atMost(TestServer.WAIT).until(() -> Files.exists(started));
            awaitState(http, running, "RUNNING");
            expected.put(running, "ERRORED");
            String queued = train(http, "q", TestServer.params());
            assertThat(status(http, queued).get("state").asText()).isEqualTo("QUEUED");
            expected.put(queued, "ERRORED");
        } finally {
            assertThat(first.kill()).isEqualTo(137);
        }

        ServerProcess second = ServerProcess.start(tmp, config(), "second");
        try {
            Http again = second.http();
            assertThat(again.get("/management/trainings").json().get("total").asLong())
                    .isEqualTo(expected.size());
            expected.forEach((id, state) ->
                    assertThat(status(again, id).get("state").asText()).as(id).isEqualTo(state));
            finishedBefore.forEach(
                    (id, before) -> assertThat(status(again, id)).as(id).isEqualTo(before));
            for (String id : expected.keySet()) {
                JsonNode s = status(again, id);
                if (expected.get(id).equals("ERRORED") && !finishedBefore.containsKey(id)) {
                    assertThat(s.get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
                    assertThat(s.get("completion_timestamp").isNull()).isFalse();
                }
            }

            JsonNode detail = again.get("/management/trainings/" + completed).json();
            SampleModel model = (SampleModel)
                    ModelFormat.load(Path.of(detail.get("save_path").asText()));
            assertThat(model.batchSize()).isEqualTo(11);
            assertThat(again.get("/management/trainings/" + completed + "/progress")
                            .json()
                            .get("points"))
                    .hasSize(3);

            String fresh = train(again, "after", TestServer.params());
            awaitState(again, fresh, "COMPLETED");
            ObjectNode retry = TestServer.request("r", TestServer.params());
            retry.put("training_id", running);
            assertThat(again.post(TestServer.SAMPLE_ROUTE, retry).status()).isEqualTo(200);
            awaitState(again, running, "COMPLETED");
        } finally {
            second.terminate();
        }
        assertThat(second.stderr()).contains("Kiln server stopped");
    }

    @Test
    void killedDuringConcurrentSubmissionsEveryAcknowledgedTrainingSurvives() throws Exception {
        int submitters = 4;
        int acknowledgedBeforeKill = 24;
        Set<String> acknowledged = ConcurrentHashMap.newKeySet();
        CountDownLatch enough = new CountDownLatch(acknowledgedBeforeKill);
        ServerProcess first = ServerProcess.start(tmp, config(), "first");
        Http http = first.http();
        ExecutorService pool = Executors.newFixedThreadPool(submitters);
        List<Future<?>> running = new ArrayList<>();
        for (int t = 0; t < submitters; t++) {
            int thread = t;
            running.add(pool.submit(() -> {
                for (int i = 0; ; i++) {
                    Http.Reply r;
                    try {
                        r = http.post(
                                TestServer.SAMPLE_ROUTE,
                                TestServer.request("c" + thread + "-" + i, TestServer.params()));
                    } catch (RuntimeException e) {
                        return; // the server is gone
                    }
                    if (r.status() == 200) {
                        acknowledged.add(r.json().get("training_id").asText());
                        enough.countDown();
                    }
                }
            }));
        }
        assertThat(enough.await(TestServer.WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(first.kill()).isEqualTo(137);
        for (Future<?> f : running) {
            f.get(TestServer.WAIT.toSeconds(), TimeUnit.SECONDS);
        }
        pool.shutdown();

        Set<String> acked = Set.copyOf(acknowledged);
        assertThat(acked).hasSizeGreaterThanOrEqualTo(acknowledgedBeforeKill);
        ServerProcess second = ServerProcess.start(tmp, config(), "second");
        try {
            Http again = second.http();
            for (String id : acked) {
                Http.Reply r = again.get("/management/trainings?training_id=" + id);
                assertThat(r.status())
                        .as("acknowledged training %s after the restart: %s", id, r)
                        .isEqualTo(200);
            }
            assertThat(again.get("/management/trainings").json().get("total").asLong())
                    .isGreaterThanOrEqualTo(acked.size());
        } finally {
            second.terminate();
        }
    }

    @Test
    void sigtermStopsGracefullyAndRecordsWhatWasStillRunningAsInterrupted() throws Exception {
        ServerProcess server = ServerProcess.start(tmp, config(), "first");
        Http http = server.http();
        String running = train(
                http,
                "r",
                TestServer.params().put("gate_file", tmp.resolve("never").toString()));
        awaitState(http, running, "RUNNING");

        assertThat(server.terminate()).isEqualTo(143);

        assertThat(server.stderr()).contains("recorded as interrupted").contains(running);
        ServerProcess again = ServerProcess.start(tmp, config(), "second");
        try {
            JsonNode s = status(again.http(), running);
            assertThat(s.get("state").asText()).isEqualTo("ERRORED");
            assertThat(s.get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
        } finally {
            again.terminate();
        }
        assertThat(again.stderr()).doesNotContain("were unfinished when the server last stopped");
    }
}
