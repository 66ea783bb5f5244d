package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.ServerProcess;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server told to stop (SIGTERM) while trainings run, report progress and are submitted stops cleanly: the
 * submissions it refuses while it waits for running trainings are answered 503 and its log has no error and no stack
 * trace.
 */
class CleanShutdownTest {
    @TempDir
    Path tmp;

    private KilnConfig config() {
        return TestServer.config(tmp, """
                runtime:
                  http: {server_shutdown_grace_period_seconds: 600}
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {max_concurrent_jobs: 4}
                """);
    }

    private static String train(Http http, String model, JsonNode params) {
        Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, TestServer.request(model, params));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("training_id").asText();
    }

    private static String state(Http http, String id) {
        return http.get("/management/trainings?training_id=" + id)
                .json()
                .get("state")
                .asText();
    }

    @Test
    void sigtermWithTrainingsAndSubmissionsInFlightLogsNoErrorAndNoStackTrace() throws Exception {
        ServerProcess server = ServerProcess.start(tmp, config(), "server");
        Http http = server.http();
        Path gate = tmp.resolve("gate");
        String gated = train(
                http,
                "gated",
                TestServer.params().put("gate_file", gate.toString()).put("steps", 500));
        await().atMost(TestServer.WAIT).until(() -> state(http, gated).equals("RUNNING"));

        server.askToStop();
        await().atMost(TestServer.WAIT)
                .until(() -> http.post(TestServer.SAMPLE_ROUTE, TestServer.request("late", TestServer.params()))
                                .status()
                        == 503);
        for (int i = 0; i < 20; i++) {
            assertThat(http.post(TestServer.SAMPLE_ROUTE, TestServer.request("late" + i, TestServer.params()))
                            .status())
                    .isEqualTo(503);
        }
        TestServer.open(gate);

        assertThat(server.awaitExit()).isEqualTo(143);
        String log = server.stderr();
        assertThat(log).contains("Kiln server stopped");
        assertThat(log).doesNotContain("ERROR").doesNotContain("Exception").doesNotContain("\tat ");
    }
}
