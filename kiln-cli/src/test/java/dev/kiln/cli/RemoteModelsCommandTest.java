package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.data.DataStream;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextRecord;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code kiln models --server} and {@code kiln predict --model-id --server} against a real server on port 0. */
class RemoteModelsCommandTest {
    @TempDir
    Path dir;

    TestServer server;
    String url;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        TextClassifier.Params params = TextClassifier.Params.of(DataStream.of(
                        new TextRecord("win money now", "spam"),
                        new TextRecord("lunch at noon", "ham"),
                        new TextRecord("cheap pills win", "spam"),
                        new TextRecord("see you at the meeting", "ham")))
                .withEpochs(1);
        ModelFormat.save(new TextClassifier().train(params, quiet(dir)), dir.resolve("server/local-models/spam"), null);
        server = TestServer.start(dir.resolve("server"), "");
        url = server.server().baseUri().toString();
        cli = new CliRun(Files.createDirectories(dir.resolve("cli")), false);
    }

    private static TrainingContext quiet(Path scratch) {
        return new TrainingContext() {
            public String trainingId() {
                return "remote-models-test";
            }

            public boolean isCancelled() {
                return false;
            }

            public void reportProgress(long step, long total, Map<String, Double> metrics) {}

            public org.slf4j.Logger logger() {
                return LoggerFactory.getLogger("remote-models-test");
            }

            public Path scratchDir() {
                return scratch;
            }
        };
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private CliRun.Result remote(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(url);
        return cli.run(all.toArray(String[]::new));
    }

    @Test
    void modelsListsWhatTheServerServes() {
        CliRun.Result r = remote("models");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("MODEL ID").contains("MODULE", "SIZE", "TRAINING");
        assertThat(lines.get(1)).startsWith("spam ").contains("TextClassifier");
    }

    @Test
    void modelsInJsonIsTheServersInfoModelsAnswer() throws Exception {
        CliRun.Result r = remote("models", "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        JsonNode models = r.json().get("models");
        assertThat(models).hasSize(1);
        assertThat(models.get(0).get("name").asText()).isEqualTo("spam");
        assertThat(models.get(0).get("module_metadata").get("name").asText()).isEqualTo("TextClassifier");
        assertThat(r.json()).isEqualTo(server.http().get("/info/models").json());
    }

    @Test
    void predictRunsATextOnTheServedModel() {
        CliRun.Result r = remote("predict", "--model-id", "spam", "--text", "win money now");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out()).startsWith("spam\t").contains("spam 0.", "ham 0.");
    }

    @Test
    void predictRunsEveryLineOfAnInputFileOnTheServedModel() throws IOException {
        Files.writeString(
                dir.resolve("cli/inputs.jsonl"), "{\"text\":\"win money now\"}\n\n{\"text\":\"lunch at noon\"}\n");
        CliRun.Result r = remote("predict", "--model-id", "spam", "--input-file", "inputs.jsonl");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("spam\t");
        assertThat(lines.get(1)).startsWith("ham\t");
    }

    @Test
    void predictWithAModelTheServerDoesNotServeIsNotFoundNamingIt() {
        CliRun.Result r = remote("predict", "--model-id", "ghost", "--text", "win money now");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("ghost");
    }
}
