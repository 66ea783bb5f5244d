package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.modules.datasets.ShippedDataset;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainCommandTest {
    @TempDir
    Path dir;

    CliRun cli;
    Path iris;

    @BeforeEach
    void setUp() {
        cli = new CliRun(dir, false);
        iris = ShippedDataset.IRIS.extractTo(dir);
    }

    @Test
    void trainsWaitsAndSumsUp() {
        CliRun.Result r = cli.run(
                "train",
                "TabularClassifier",
                "--data",
                "iris.csv",
                "--param",
                "target=species",
                "--param",
                "epochs=20",
                "--save-path",
                "models",
                "--model-name",
                "iris");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.out())
                .containsPattern("Training \\S+ COMPLETED after")
                .contains("progress       epoch 20/20")
                .contains("val_accuracy")
                .contains("saved to       " + dir.resolve("models/iris"));
        assertThat(dir.resolve("models/iris/config.yml")).exists();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void printsOneJsonObjectWithIdStateSavePathAndMetrics() {
        CliRun.Result r = cli.run(
                "train",
                "TabularClassifier",
                "--data",
                "iris.csv",
                "-p",
                "target=species",
                "-p",
                "epochs=10",
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        JsonNode json = r.json();
        String id = json.get("training_id").asText();
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        // Without --save-path the model goes to runtime.training.output_dir, with the id (save_with_id: true).
        assertThat(json.get("save_path").asText())
                .isEqualTo(dir.resolve("training_output").resolve(id).toString());
        assertThat(json.get("metrics").get("val_accuracy").asDouble()).isGreaterThan(0.5);
        assertThat(json.get("metrics").has("loss")).isTrue();
        assertThat(json.get("progress").get("step").asInt()).isEqualTo(10);
    }

    @Test
    void readsParamsFromAFileAndLetsParamOverrideThem() throws Exception {
        Files.writeString(dir.resolve("params.json"), "{\"target\": \"species\", \"epochs\": 50}");
        CliRun.Result r = cli.run(
                "train",
                "TabularClassifier",
                "--data",
                "iris.csv",
                "--params",
                "params.json",
                "--param",
                "epochs=3",
                "--json");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.json().get("progress").get("total").asInt()).isEqualTo(3);
    }

    @Test
    void showsALiveProgressBarOnStderrWhenSomeoneIsWatching() throws Exception {
        // SampleModule reports two steps, then waits for the gate file: the bar is drawn while it waits.
        Path gate = dir.resolve("gate");
        java.io.StringWriter err = new java.io.StringWriter();
        java.util.concurrent.CompletableFuture<Integer> exit =
                java.util.concurrent.CompletableFuture.supplyAsync(() -> KilnCli.run(
                        cli.watched().environment(),
                        new java.io.PrintWriter(new java.io.StringWriter()),
                        new java.io.PrintWriter(err, true),
                        "train",
                        "SampleModule",
                        "-p",
                        "steps=2",
                        "-p",
                        "gate_file=" + gate));
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofMinutes(1))
                .until(() -> err.toString().contains("epoch 2/2"));
        Files.createFile(gate);
        assertThat(exit.get(1, java.util.concurrent.TimeUnit.MINUTES)).isEqualTo(ExitCodes.OK);
        assertThat(err.toString())
                .startsWith("\rSampleModule ")
                .contains("[========================] epoch 2/2")
                .contains("loss 0.5000")
                .contains("saving")
                .endsWith("\r");
    }

    @Test
    void drawsNoBarWhenNobodyIsWatching() {
        CliRun.Result r = cli.run("train", "SampleModule", "-p", "steps=2");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void aBadParamValueIsAUsageErrorNamingIt() {
        CliRun.Result r = cli.run("train", "TabularClassifier", "--data", "iris.csv", "--param", "epochs=many");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("kiln: --param epochs=many: expected an integer");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void anUnknownParamIsAUsageErrorListingTheKnownOnes() {
        CliRun.Result r = cli.run("train", "TabularClassifier", "--data", "iris.csv", "--param", "epoch=3");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err())
                .contains("Unknown parameter 'epoch' for module TabularClassifier")
                .contains("known parameters: training_data, target");
    }

    @Test
    void aParamWithoutAValueIsAUsageError() {
        CliRun.Result r = cli.run("train", "TabularClassifier", "--data", "iris.csv", "--param", "epochs");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--param expects KEY=VALUE; got 'epochs'");
    }

    @Test
    void aNegativeLearningRateIsRejectedBeforeTraining() {
        CliRun.Result r = cli.run(
                "train", "TabularClassifier", "--data", "iris.csv", "-p", "target=species", "-p", "learning_rate=-0.5");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Parameter 'learning_rate' must be a finite number greater than 0");
        assertThat(dir.resolve("kiln-home/runs")).doesNotExist();
    }

    @Test
    void aMissingRequiredParamIsNamed() {
        CliRun.Result r = cli.run("train", "TabularClassifier", "--data", "iris.csv");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("Missing required parameter 'target' for module TabularClassifier");
    }

    @Test
    void anUnknownModuleIsNotFoundListingTheKnownOnes() {
        CliRun.Result r = cli.run("train", "SpamFilter", "--data", "iris.csv");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err())
                .contains("Unknown module 'SpamFilter'; known modules: ")
                .contains("TextClassifier");
    }

    @Test
    void anUnknownModuleWithJsonPrintsAJsonError() {
        CliRun.Result r = cli.run("train", "SpamFilter", "--data", "iris.csv", "--json");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.json().get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(r.json().get("error").get("message").asText()).contains("SpamFilter");
    }

    @Test
    void aMissingDataFileIsNotFoundNamingIt() {
        CliRun.Result r = cli.run("train", "TextClassifier", "--data", "mails.jsonl");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("Data file not found: " + dir.resolve("mails.jsonl"));
    }

    @Test
    void aDataFileOfAnUnknownKindIsAUsageError() throws Exception {
        Files.writeString(dir.resolve("mails.txt"), "hello");
        CliRun.Result r = cli.run("train", "TextClassifier", "--data", "mails.txt");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("has an unknown extension; use .jsonl, .json or .csv");
    }

    @Test
    void aMissingConfigFileIsNotFound() {
        CliRun.Result r = cli.run("--config", "kiln.yml", "train", "TabularClassifier", "--data", "iris.csv");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("Config file not found: " + dir.resolve("kiln.yml"));
    }

    @Test
    void aTrainingThatFailsExitsOneWithTheModulesMessage() {
        CliRun.Result r = cli.run("train", "TabularClassifier", "--data", "iris.csv", "-p", "target=colour");
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.ERRORED);
        assertThat(r.out())
                .containsPattern("Training \\S+ ERRORED")
                .contains("Parameter 'target': column 'colour' is not in training_data");
    }

    @Test
    void theTrainerCanBeChosenAndIsCheckedByName() throws Exception {
        Files.writeString(dir.resolve("kiln.yml"), """
                model_management:
                  trainers:
                    fast:
                      type: LOCAL
                      config:
                        max_concurrent_jobs: 1
                """);
        CliRun.Result ok = cli.run(
                "train",
                "TabularClassifier",
                "--config",
                "kiln.yml",
                "--trainer",
                "fast",
                "--data",
                "iris.csv",
                "-p",
                "target=species",
                "-p",
                "epochs=2",
                "--json");
        assertThat(ok.exitCode()).as(ok.toString()).isZero();
        assertThat(ok.json().get("trainer").asText()).isEqualTo("fast");
        CliRun.Result unknown = cli.run(
                "train", "TabularClassifier", "--trainer", "slow", "--data", "iris.csv", "-p", "target=species");
        assertThat(unknown.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(unknown.err()).contains("Unknown trainer 'slow'; configured trainers: default");
    }
}
