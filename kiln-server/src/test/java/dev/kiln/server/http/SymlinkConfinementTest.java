package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.FakeClock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** No model is written, and nothing deleted, outside runtime.training.output_dir through a symbolic link. */
class SymlinkConfinementTest {
    @TempDir
    Path tmp;

    private Path outside;
    private Path models;

    @BeforeEach
    void dirs() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        models = Files.createDirectories(tmp.resolve("server/models"));
    }

    private static JsonNode error400(Http.Reply r) {
        assertThat(r.status()).as(r.toString()).isEqualTo(400);
        assertThat(r.header("Content-Type")).startsWith("application/json");
        return r.json();
    }

    @Test
    void anOutputPathThatIsALinkOutIs400NamingTheField() throws IOException {
        Files.createSymbolicLink(models.resolve("link-out"), outside);
        try (TestServer server = TestServer.start(tmp.resolve("server"), "")) {
            ObjectNode body = TestServer.request("m", TestServer.params());
            body.put("output_path", "link-out");
            assertThat(error400(server.http().post(TestServer.SAMPLE_ROUTE, body))
                            .get("details")
                            .asText())
                    .contains("output_path 'link-out'")
                    .contains("symbolic link")
                    .contains("runtime.training.output_dir");
            body.put("output_path", "link-out/deeper");
            assertThat(error400(server.http().post(TestServer.SAMPLE_ROUTE, body))
                            .get("details")
                            .asText())
                    .contains("output_path");
        }
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aTrainingIdOrModelNameThatNamesALinkOutIs400NamingTheField() throws IOException {
        Files.createSymbolicLink(models.resolve("link-out"), outside);
        Files.createDirectories(models.resolve("t1"));
        Files.createSymbolicLink(models.resolve("t1/evil"), outside);
        try (TestServer server = TestServer.start(tmp.resolve("server"), "")) {
            ObjectNode body = TestServer.request("m", TestServer.params());
            body.put("training_id", "link-out");
            assertThat(error400(server.http().post(TestServer.SAMPLE_ROUTE, body))
                            .get("details")
                            .asText())
                    .contains("training_id 'link-out'")
                    .contains("symbolic link");

            ObjectNode named = TestServer.request("evil", TestServer.params());
            named.put("training_id", "t1");
            assertThat(error400(server.http().post(TestServer.SAMPLE_ROUTE, named))
                            .get("details")
                            .asText())
                    .contains("model_name 'evil'")
                    .contains("symbolic link");
            assertThat(server.http()
                            .get("/management/trainings")
                            .json()
                            .get("total")
                            .asLong())
                    .isZero();
        }
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aLinkSwappedInAfterTheCheckIsRefusedAtSaveAndNothingIsWrittenThroughIt() throws IOException {
        try (TestServer server = TestServer.start(tmp.resolve("server"), "")) {
            Path gate = server.gate("swap");
            ObjectNode body = TestServer.request("m", TestServer.params().put("gate_file", gate.toString()));
            body.put("output_path", "later");
            Http.Reply accepted = server.http().post(TestServer.SAMPLE_ROUTE, body);
            assertThat(accepted.status()).as(accepted.toString()).isEqualTo(200);
            String id = accepted.json().get("training_id").asText();
            server.awaitState(id, "RUNNING");

            Files.createSymbolicLink(models.resolve("later"), outside);
            TestServer.open(gate);

            JsonNode status = server.awaitState(id, "ERRORED");
            assertThat(status.toString()).contains("symbolic link");
        }
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aPurgeNeverDeletesThroughALink() throws IOException {
        Path server = tmp.resolve("server");
        String id;
        try (TestServer a = TestServer.start(server, "")) {
            id = a.train("m", TestServer.params());
            a.awaitState(id, "COMPLETED");
        }
        Path saved = models.resolve(id);
        assertThat(saved.resolve("m")).isDirectory();
        Files.move(saved, outside.resolve(id));
        Files.createSymbolicLink(saved, outside.resolve(id));

        FakeClock clock = new FakeClock(Instant.now().plus(Duration.ofHours(23)));
        try (TestServer b = TestServer.start(
                KilnServer.builder(TestServer.config(server, "")).port(0).clock(clock))) {
            clock.advance(Duration.ofHours(2));
            assertThat(b.server().trainings().purgeExpired()).hasSize(1);
        }
        assertThat(outside.resolve(id).resolve("m").resolve("config.yml")).isRegularFile();
    }
}
