package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DemoCommandTest {
    @TempDir
    Path dir;

    @Test
    void trainsTheSpamFilterSavesItAndShowsHeldOutAccuracyAndExamples() {
        CliRun.Result r = new CliRun(dir, false).run("demo", "--thread", "--epochs", "3");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("training TextClassifier on 2,500 e-mails in a thread of this JVM")
                .containsPattern("Training \\S+ COMPLETED after")
                .containsPattern("Held-out accuracy: 9\\d\\.\\d% \\(\\d+ of 500 e-mails the model never saw\\)")
                .contains("Three held-out e-mails:")
                .contains("./kiln predict --model models/spam-demo --text");
        assertThat(r.out().lines().filter(l -> l.matches("  (spam|ham ) \\d\\.\\d{3}  \\(really .*")))
                .hasSize(3);
        assertThat(dir.resolve("models/spam-demo/config.yml")).exists();
    }

    @Test
    void printsJsonWithTheHeldOutAccuracy() {
        CliRun.Result r = new CliRun(dir, false).run("demo", "--thread", "--epochs", "2", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode json = r.json();
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("held_out_accuracy").asDouble()).isGreaterThan(0.9);
        assertThat(json.get("held_out_count").asInt()).isEqualTo(500);
        assertThat(json.get("examples")).hasSize(3);
        assertThat(json.get("save_path").asText())
                .isEqualTo(dir.resolve("models/spam-demo").toString());
    }

    @Test
    void trainsInAChildJvmByDefault() {
        CliRun.Result r = new CliRun(dir, false).run("demo", "--epochs", "2", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().get("held_out_accuracy").asDouble()).isGreaterThan(0.9);
        assertThat(new CliRun(dir, false)
                        .run("logs", r.json().get("training_id").asText())
                        .out())
                .contains("--- worker output ---");
    }
}
