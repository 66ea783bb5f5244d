package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModulesCommandTest {
    @TempDir
    Path dir;

    @Test
    void listsEachModuleWithItsParametersTypesAndDefaults() {
        CliRun.Result r = new CliRun(dir, false).run("modules");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("TextClassifier  (task TextClassification, version 1.0.0, id ")
                .contains("TabularClassifier")
                .contains("TabularRegressor")
                .containsPattern("learning_rate +number +default 0\\.5 +AdaGrad")
                .containsPattern("training_data +data_stream +required");
    }

    @Test
    void printsJsonWithIdNameVersionTaskAndParameters() {
        CliRun.Result r = new CliRun(dir, false).run("modules", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode text = null;
        for (JsonNode m : r.json()) {
            if (m.get("name").asText().equals("TextClassifier")) {
                text = m;
            }
        }
        assertThat(text).isNotNull();
        assertThat(text.get("id").asText()).isEqualTo("5178884d-2941-47e8-93dc-6c0de63c7468");
        assertThat(text.get("version").asText()).isEqualTo("1.0.0");
        assertThat(text.get("task").asText()).isEqualTo("TextClassification");
        JsonNode epochs = text.get("parameters").get(1);
        assertThat(epochs.get("name").asText()).isEqualTo("epochs");
        assertThat(epochs.get("type").asText()).isEqualTo("integer");
        assertThat(epochs.get("default").asInt()).isEqualTo(5);
        assertThat(epochs.get("required").asBoolean()).isFalse();
    }

    @Test
    void withoutASubcommandShowsUsageAndExitsTwo() {
        CliRun.Result r = new CliRun(dir, false).run();
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("Usage: kiln")
                .contains("train")
                .contains("predict")
                .contains("demo");
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        CliRun.Result r = new CliRun(dir, false).run("modules", "--frobnicate");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Unknown option: '--frobnicate'");
    }
}
