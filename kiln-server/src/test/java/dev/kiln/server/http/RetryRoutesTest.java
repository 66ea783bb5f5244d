package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Retries over HTTP: max_retries in the request, attempts in Kiln's detail, never in caikit's status. */
class RetryRoutesTest {
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
                      config:
                        retry_backoff: {initial: 0.01s, max: 0.01s}
                """);
        http = server.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private ObjectNode failingOnce(Path log) {
        ObjectNode params = TestServer.params()
                .put("checkpoint_steps", 3)
                .put("attempt_log", log.toString())
                .put("failing_attempts", 1);
        return params;
    }

    @Test
    void aRetriedTrainingShowsEveryAttemptInKilnsDetailButNotInCaikitsStatus() throws Exception {
        Path log = server.data().resolve("attempts.log");
        ObjectNode body = TestServer.request("m", failingOnce(log)).put("max_retries", 1);

        Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, body);

        assertThat(r.status()).as(r.body()).isEqualTo(200);
        String id = r.json().get("training_id").asText();
        JsonNode status = server.awaitState(id, "COMPLETED");
        assertThat(fieldNames(status))
                .containsExactlyInAnyOrder(
                        "training_id", "state", "submission_timestamp", "completion_timestamp", "reasons");
        JsonNode detail = http.get("/management/trainings/" + id).json();
        assertThat(detail.get("attempt").asInt()).isEqualTo(2);
        JsonNode attempts = detail.get("attempts");
        assertThat(attempts).hasSize(2);
        assertThat(attempts.get(0).get("number").asInt()).isEqualTo(1);
        assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("RETRIED");
        assertThat(attempts.get(0).get("error").get("kind").asText()).isEqualTo("RETRYABLE_EXCEPTION");
        assertThat(attempts.get(0).get("error").get("message").asText()).isEqualTo("Attempt 1 failed after step 1");
        assertThat(attempts.get(0).get("ended").asText()).isNotBlank();
        assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("COMPLETED");
        assertThat(attempts.get(1).get("error").isNull()).isTrue();
        assertThat(Files.readAllLines(log)).containsExactly("0", "1");
        assertThat(http.get("/management/trainings")
                        .json()
                        .get("trainings")
                        .get(0)
                        .get("attempt")
                        .asInt())
                .isEqualTo(2);
        assertThat(http.get("/metrics").body())
                .contains("kiln_training_retries_total{reason=\"retryable_exception\"} 1.0");
    }

    @Test
    void maxRetriesZeroInTheRequestMeansOneAttempt() throws Exception {
        Path log = server.data().resolve("attempts.log");
        Http.Reply r = http.post(
                TestServer.SAMPLE_ROUTE,
                TestServer.request("m", failingOnce(log)).put("max_retries", 0));

        String id = r.json().get("training_id").asText();
        JsonNode status = server.awaitState(id, "ERRORED");
        assertThat(status.get("reasons").get(0).asText()).isEqualTo("Attempt 1 failed after step 1");
        JsonNode detail = http.get("/management/trainings/" + id).json();
        assertThat(detail.get("attempts")).hasSize(1);
        assertThat(detail.get("attempts").get(0).get("outcome").asText()).isEqualTo("ERRORED");
    }

    @Test
    void aMaxRetriesThatIsNotACountIsABadRequestNamingTheField() {
        for (String bad : List.of("-1", "1.5", "\"two\"")) {
            ObjectNode body = TestServer.request("m", TestServer.params());
            body.set("max_retries", parse(bad));
            Http.Reply r = http.post(TestServer.SAMPLE_ROUTE, body);
            assertThat(r.status()).as(bad).isEqualTo(400);
            assertThat(r.body()).as(bad).contains("max_retries");
        }
    }

    private static JsonNode parse(String json) {
        try {
            return dev.kiln.json.KilnJson.strict().readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
