package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.data.DataStream;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** {@code kiln models} over a local models directory, and the options {@code kiln predict --model-id} needs. */
class ModelsCommandTest {
    @TempDir
    static Path dir;

    static CliRun cli;

    @BeforeAll
    static void saveModels() throws Exception {
        cli = new CliRun(dir, false);
        TextClassifier.Params params = TextClassifier.Params.of(DataStream.of(
                        new TextRecord("win money now", "spam"),
                        new TextRecord("lunch at noon", "ham"),
                        new TextRecord("cheap pills win", "spam"),
                        new TextRecord("see you at the meeting", "ham")))
                .withEpochs(1);
        ModelFormat.save(new TextClassifier().train(params, quiet()), dir.resolve("models/spam"), null);
        ModelFormat.save(new TextClassifier().train(params, quiet()), dir.resolve("elsewhere/mails"), null);
        Files.createDirectories(dir.resolve("models/not-a-model"));
        Files.writeString(dir.resolve("models/notes.txt"), "not a model either");
    }

    @Test
    void listsTheModelsInTheLocalModelsDirectoryUnderTheirDirectoryNames() {
        CliRun.Result r = cli.run("models");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("MODEL ID").contains("MODULE", "SIZE", "PATH");
        assertThat(lines.get(1))
                .startsWith("spam ")
                .contains("TextClassifier")
                .endsWith(dir.resolve("models/spam").toString());
    }

    @Test
    void listsAnotherDirectoryAsCaikitsModelInfoInJson() throws Exception {
        CliRun.Result r = cli.run("models", "--dir", "elsewhere", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode models = r.json().get("models");
        assertThat(models).hasSize(1);
        JsonNode m = models.get(0);
        assertThat(m.get("name").asText()).isEqualTo("mails");
        assertThat(m.get("module_metadata").get("name").asText()).isEqualTo("TextClassifier");
        assertThat(m.get("model_path").asText())
                .isEqualTo(dir.resolve("elsewhere/mails").toString());
        long onDisk;
        try (var files = Files.walk(dir.resolve("elsewhere/mails"))) {
            onDisk = files.filter(Files::isRegularFile)
                    .mapToLong(f -> f.toFile().length())
                    .sum();
        }
        assertThat(m.get("size").asLong()).isEqualTo(onDisk).isPositive();
    }

    @Test
    void aMissingModelsDirectoryIsNotFoundNamingIt() {
        CliRun.Result r = cli.run("models", "--dir", "nowhere");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("Models directory not found: " + dir.resolve("nowhere"));
    }

    @Test
    void aModelIdWithoutAServerIsAUsageErrorSayingWhatToGive() {
        CliRun.Result r = cli.run("predict", "--model-id", "spam", "--text", "win money");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--model-id names a model a server serves").contains("--server URL");
    }

    @Test
    void aModelDirectoryAndAModelIdTogetherAreAUsageError() {
        CliRun.Result r = cli.run("predict", "--model", "models/spam", "--model-id", "spam", "--text", "x");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("mutually exclusive");
    }

    @Test
    void aLocalModelStillPredictsWithModelDir() {
        CliRun.Result r = cli.run("predict", "--model", "models/spam", "--text", "win money now", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("scores").has("spam")).isTrue();
    }

    private static TrainingContext quiet() {
        return new TrainingContext() {
            public String trainingId() {
                return "models-test";
            }

            public boolean isCancelled() {
                return false;
            }

            public void reportProgress(long step, long total, Map<String, Double> metrics) {}

            public org.slf4j.Logger logger() {
                return LoggerFactory.getLogger("models-test");
            }

            public Path scratchDir() {
                return dir;
            }
        };
    }
}
