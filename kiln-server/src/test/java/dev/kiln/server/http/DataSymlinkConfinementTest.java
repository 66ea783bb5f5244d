package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModel;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * No training reads a data file outside data_streams.file_source_base through a symbolic link in a data directory,
 * whether it trains in a thread or in a child JVM: a link out is refused at submission naming the file, a link put
 * there after the training was accepted ends it ERRORED naming the file, and a link that stays inside is read.
 */
class DataSymlinkConfinementTest {
    private static final String SECRET = "{\"number\": 7, \"label\": \"secret\"}\n";

    @TempDir
    Path tmp;

    private Path outside;

    @BeforeEach
    void dirs() throws IOException {
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret.jsonl"), SECRET);
    }

    private static String mode(String mode) {
        return """
                model_management:
                  trainers:
                    default:
                      config:
                        use_subprocess: %s
                        max_concurrent_jobs: 1
                """.formatted(mode.equals("spawn"));
    }

    private static ObjectNode directory(String dirname) {
        ObjectNode params = TestServer.params();
        params.putObject("training_data")
                .putObject("directory")
                .put("dirname", dirname)
                .put("extension", "jsonl");
        return params;
    }

    private Path dataDir(TestServer server, String name) throws IOException {
        Path dir = Files.createDirectories(server.data().resolve(name));
        Files.writeString(dir.resolve("a.jsonl"), "{\"number\": 1, \"label\": \"l1\"}\n");
        return dir;
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "spawn"})
    void aLinkOutInADataDirectoryIs400NamingTheFile(String mode) throws IOException {
        try (TestServer server = TestServer.start(tmp.resolve("server"), mode(mode))) {
            Path dir = dataDir(server, "dir");
            Files.createSymbolicLink(dir.resolve("evil.jsonl"), outside.resolve("secret.jsonl"));

            Http.Reply r = server.http().post(TestServer.SAMPLE_ROUTE, TestServer.request("m", directory("dir")));

            assertThat(r.status()).as(r.toString()).isEqualTo(400);
            assertThat(r.json().get("details").asText())
                    .contains("training_data")
                    .contains("dir/evil.jsonl")
                    .contains("outside the data directory");
            assertThat(server.http()
                            .get("/management/trainings")
                            .json()
                            .get("total")
                            .asLong())
                    .isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "spawn"})
    void aLinkOutPutThereAfterAcceptanceEndsTheTrainingErroredNamingTheFile(String mode) throws IOException {
        try (TestServer server = TestServer.start(tmp.resolve("server"), mode(mode))) {
            Path gate = server.gate("first");
            String first = server.train("first", TestServer.params().put("gate_file", gate.toString()));
            server.awaitState(first, "RUNNING");
            Path dir = dataDir(server, "dir");
            String second = server.train("second", directory("dir"));
            assertThat(server.status(second).get("state").asText()).isEqualTo("QUEUED");

            Files.createSymbolicLink(dir.resolve("evil.jsonl"), outside.resolve("secret.jsonl"));
            TestServer.open(gate);

            JsonNode status = server.awaitState(second, "ERRORED");
            assertThat(status.toString())
                    .contains("dir/evil.jsonl")
                    .contains("outside the data directory")
                    .doesNotContain("secret");
            server.awaitState(first, "COMPLETED");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"thread", "spawn"})
    void aLinkThatStaysInsideTheBaseIsRead(String mode) throws IOException {
        try (TestServer server = TestServer.start(tmp.resolve("server"), mode(mode))) {
            Path dir = dataDir(server, "dir");
            Path shared = Files.createDirectories(server.data().resolve("shared"));
            Files.writeString(shared.resolve("b.jsonl"), "{\"number\": 2, \"label\": \"l0\"}\n");
            Files.createSymbolicLink(dir.resolve("b.jsonl"), shared.resolve("b.jsonl"));
            Files.createSymbolicLink(server.data().resolve("alias"), dir);

            String id = server.train("m", directory("alias"));

            server.awaitState(id, "COMPLETED");
            Path model = tmp.resolve("server/models").resolve(id).resolve("m");
            assertThat(((SampleModel) ModelFormat.load(model)).recordsSeen()).isEqualTo(2);
        }
    }
}
