package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.tabular.TabularClassifier;
import dev.kiln.modules.tabular.TabularParams;
import dev.kiln.modules.tabular.TabularRegressor;
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

class PredictCommandTest {
    @TempDir
    static Path dir;

    static CliRun cli;

    @BeforeAll
    static void saveModels() throws Exception {
        cli = new CliRun(dir, false);
        Path spam = ShippedDataset.SPAM_ASSASSIN.extractTo(dir);
        ModelFormat.save(
                new TextClassifier()
                        .train(
                                TextClassifier.Params.of(
                                                DataStream.open(new DataSource.File(spam.toString()), TextRecord.class))
                                        .withEpochs(2),
                                quiet()),
                dir.resolve("text-model"),
                null);
        ModelFormat.save(
                new TabularClassifier()
                        .train(
                                TabularParams.of(rows(ShippedDataset.IRIS), "species")
                                        .withEpochs(20),
                                quiet()),
                dir.resolve("iris-model"),
                null);
        ModelFormat.save(
                new TabularRegressor().train(TabularParams.of(rows(ShippedDataset.DIABETES), "progression"), quiet()),
                dir.resolve("diabetes-model"),
                null);
    }

    private static DataStream<Map<String, Object>> rows(ShippedDataset dataset) {
        Path file = dataset.extractTo(dir);
        return DataStream.open(
                new DataSource.File(file.toString()),
                dev.kiln.json.KilnJson.data().getTypeFactory().constructMapType(Map.class, String.class, Object.class));
    }

    private static TrainingContext quiet() {
        return new TrainingContext() {
            public String trainingId() {
                return "predict-test";
            }

            public boolean isCancelled() {
                return false;
            }

            public void reportProgress(long step, long total, Map<String, Double> metrics) {}

            public org.slf4j.Logger logger() {
                return LoggerFactory.getLogger("predict-test");
            }

            public void saveCheckpoint(long step, byte[] state) {
                new dev.kiln.checkpoint.CheckpointStore(dir.resolve("checkpoints"), 2).save(step, state);
            }

            public java.util.Optional<dev.kiln.module.Checkpoint> latestCheckpoint() {
                return new dev.kiln.checkpoint.CheckpointStore(dir.resolve("checkpoints"), 2).latest();
            }

            public Path scratchDir() {
                return dir;
            }
        };
    }

    @Test
    void classifiesOneTextWithEveryLabelsScore() {
        CliRun.Result r = cli.run(
                "predict",
                "--model",
                "text-model",
                "--text",
                "Congratulations! You WON a FREE cruise, click here to claim your prize now!!!");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out()).matches("spam\tspam [01]\\.\\d{4}  ham 0\\.\\d{4}\n");
    }

    @Test
    void printsLabelAndScoresAsJson() {
        JsonNode json = cli.run(
                        "predict",
                        "--model",
                        "text-model",
                        "--text",
                        "Re: the build is broken again on " + "the release branch, patch attached",
                        "--json")
                .json();
        assertThat(json.get("label").asText()).isEqualTo("ham");
        assertThat(json.get("scores").get("ham").asDouble()).isGreaterThan(0.5);
        assertThat(json.get("scores").has("spam")).isTrue();
    }

    @Test
    void predictsEveryLineOfAnInputFileIgnoringExtraFields() throws Exception {
        Files.write(
                dir.resolve("mails.jsonl"),
                List.of(
                        "{\"text\": \"Limited time offer!!! Buy cheap meds online, no prescription\", \"label\": \"spam\"}",
                        "",
                        "{\"text\": \"Can we move tomorrow's meeting to 3pm?\", \"id\": 7}"));
        CliRun.Result r = cli.run("predict", "--model", "text-model", "--input-file", "mails.jsonl", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).startsWith("{\"label\":\"spam\",\"scores\":{");
    }

    @Test
    void classifiesTableRowsFromAFile() throws Exception {
        Files.write(
                dir.resolve("flowers.jsonl"),
                List.of(
                        "{\"sepal_length_cm\": 5.1, \"sepal_width_cm\": 3.5, \"petal_length_cm\": 1.4, "
                                + "\"petal_width_cm\": 0.2, \"species\": \"setosa\"}",
                        "{\"sepal_length_cm\": \"6.7\", \"sepal_width_cm\": \"3.0\", \"petal_length_cm\": \"5.2\", "
                                + "\"petal_width_cm\": \"2.3\"}"));
        CliRun.Result r = cli.run("predict", "--model", "iris-model", "--input-file", "flowers.jsonl", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.get(0)).startsWith("{\"label\":\"setosa\"");
        assertThat(lines.get(1)).startsWith("{\"label\":\"virginica\"");
    }

    @Test
    void predictsAValueForARegressor() throws Exception {
        Files.write(
                dir.resolve("patients.jsonl"),
                List.of("{\"age\": 59, \"sex\": \"sex_2\", \"bmi\": 32.1, "
                        + "\"bp\": 101, \"s1_tc\": 157, \"s2_ldl\": 93.2, \"s3_hdl\": 38, \"s4_tch\": 4, \"s5_ltg\": 4.8598, "
                        + "\"s6_glu\": 87}"));
        CliRun.Result json =
                cli.run("predict", "--model", "diabetes-model", "--input-file", "patients.jsonl", "--json");
        assertThat(json.exitCode()).as(json.toString()).isZero();
        assertThat(json.json().get("value").asDouble()).isBetween(100.0, 300.0);
        CliRun.Result text = cli.run("predict", "--model", "diabetes-model", "--input-file", "patients.jsonl");
        assertThat(text.out()).matches("\\d+\\.\\d{4}\n");
    }

    @Test
    void textForATabularModelIsAUsageError() {
        CliRun.Result r = cli.run("predict", "--model", "iris-model", "--text", "a flower");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("(module TabularClassifier) reads table rows, not text");
    }

    @Test
    void aBadInputLineIsAUsageErrorNamingTheLine() throws Exception {
        Files.write(dir.resolve("broken.jsonl"), List.of("{\"text\": \"fine\"}", "{\"text\": "));
        CliRun.Result r = cli.run("predict", "--model", "text-model", "--input-file", "broken.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains(dir.resolve("broken.jsonl") + " line 2: not valid JSON");
    }

    @Test
    void aNonNumericValueInARowIsAUsageErrorNamingLineAndColumn() throws Exception {
        Files.write(dir.resolve("odd.jsonl"), List.of("{\"sepal_length_cm\": \"long\"}"));
        CliRun.Result r = cli.run("predict", "--model", "iris-model", "--input-file", "odd.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("odd.jsonl line 1: Input row: column 'sepal_length_cm' must be a number");
    }

    @Test
    void aMissingModelIsNotFound() {
        CliRun.Result r = cli.run("predict", "--model", "nowhere", "--text", "hi");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("No model at " + dir.resolve("nowhere"));
    }

    @Test
    void aMissingInputFileIsNotFound() {
        CliRun.Result r = cli.run("predict", "--model", "text-model", "--input-file", "none.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("Input file not found: " + dir.resolve("none.jsonl"));
    }

    @Test
    void textAndInputFileTogetherAreAUsageError() {
        CliRun.Result r = cli.run("predict", "--model", "text-model", "--text", "hi", "--input-file", "x.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("mutually exclusive");
    }
}
