package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.runs.RunRecord;
import dev.kiln.cli.runs.RunStore;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** status, list, logs and cancel in local mode: they read the records that train writes. */
class RunCommandsTest {
    @TempDir
    Path dir;

    CliRun cli;

    @BeforeEach
    void setUp() {
        cli = new CliRun(dir, false);
    }

    private String train(String... params) {
        String[] args = new String[3 + params.length * 2];
        args[0] = "train";
        args[1] = "SampleModule";
        args[2] = "--json";
        for (int i = 0; i < params.length; i++) {
            args[3 + 2 * i] = "-p";
            args[4 + 2 * i] = params[i];
        }
        CliRun.Result r = cli.run(args);
        return r.json().get("training_id").asText();
    }

    @Test
    void statusShowsAFinishedTrainingFromItsRecord() {
        String id = train("steps=2");
        CliRun.Result r = cli.run("status", id);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.out())
                .contains("Training " + id + " COMPLETED after")
                .contains("progress       epoch 2/2")
                .contains("loss           0.5000")
                .contains("saved to");
        JsonNode json = cli.run("status", id, "--json").json();
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("module").asText()).isEqualTo("SampleModule");
    }

    @Test
    void statusAcceptsAUniquePrefixOfTheId() {
        String id = train();
        CliRun.Result r = cli.run("status", id.substring(0, 8), "--json");
        assertThat(r.json().get("training_id").asText()).isEqualTo(id);
    }

    @Test
    void listShowsEveryTrainingNewestFirst() {
        String first = train();
        String second = train("batch_size=999");
        CliRun.Result r = cli.run("list");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .startsWith("TRAINING ID")
                .contains(first)
                .contains(second)
                .contains("ERRORED");
        assertThat(r.out().indexOf(second)).isLessThan(r.out().indexOf(first));
        JsonNode json = cli.run("list", "--json").json();
        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("training_id").asText()).isEqualTo(second);
        assertThat(json.get(0).get("errors").get(0).get("message").asText())
                .isEqualTo("Batch size of 999 is not allowed!");
    }

    @Test
    void listSaysSoWhenThereAreNoTrainings() {
        assertThat(cli.run("list").out()).contains("No trainings yet");
        assertThat(cli.run("list", "--json").json()).isEmpty();
    }

    @Test
    void logsShowTheLifecycleProgressAndErrorsWithTheirStack() {
        String ok = train("steps=2");
        assertThat(cli.run("logs", ok).out())
                .contains("SUBMITTED module=SampleModule trainer=default")
                .contains("STARTED")
                .contains("PROGRESS 1/2 loss=1.0")
                .contains("PROGRESS 2/2 loss=0.5")
                .contains("COMPLETED save_path=");
        String failed = train("batch_size=999");
        String log = cli.run("logs", failed).out();
        assertThat(log)
                .contains("ERRORED")
                .contains("EXCEPTION java.lang.IllegalArgumentException: Batch size of " + "999 is not allowed!")
                .contains("at dev.kiln.testing.SampleModule.train");
    }

    @Test
    void cancellingAnEndedTrainingChangesNothing() {
        String id = train();
        CliRun.Result r = cli.run("cancel", id);
        assertThat(r.exitCode()).isZero();
        assertThat(r.out()).contains("Training " + id + " already ended COMPLETED; nothing to cancel");
        assertThat(cli.run("status", id, "--json").json().get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void anUnknownIdIsNotFoundForEveryCommand() {
        for (String command : List.of("status", "logs", "cancel")) {
            CliRun.Result r = cli.run(command, "no-such-training");
            assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err()).as(command).contains("Training no-such-training was not found");
        }
    }

    @Test
    void aTrainingWhoseProcessDiedIsShownErrored() throws Exception {
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Instant t = Instant.now();
        TrainingSnapshot running = new TrainingSnapshot(
                "orphan-1",
                "TextClassifier",
                "default",
                JobStatus.RUNNING,
                t,
                t,
                null,
                null,
                List.of(),
                null,
                0,
                List.of());
        new RunStore(dir.resolve("kiln-home/runs")).write(new RunRecord(running, gone.pid(), t));
        JsonNode json = cli.run("status", "orphan-1", "--json").json();
        assertThat(json.get("state").asText()).isEqualTo("ERRORED");
        assertThat(json.get("errors").get(0).get("kind").asText()).isEqualTo(JobError.Kind.PROCESS_DIED.name());
        assertThat(json.get("errors").get(0).get("message").asText()).contains("ended before the training did");
    }

    @Test
    void listForgetsTrainingsThatEndedLongerAgoThanTheRetention() {
        RunStore store = new RunStore(dir.resolve("kiln-home/runs"));
        Instant old = Instant.now().minus(Duration.ofDays(2));
        store.write(new RunRecord(
                new TrainingSnapshot(
                        "old-1",
                        "TextClassifier",
                        "default",
                        JobStatus.COMPLETED,
                        old,
                        old,
                        old,
                        null,
                        List.of(),
                        null,
                        0,
                        List.of()),
                1,
                null));
        String recent = train();
        JsonNode json = cli.run("list", "--json").json();
        assertThat(json).hasSize(1);
        assertThat(json.get(0).get("training_id").asText()).isEqualTo(recent);
        assertThat(cli.run("status", "old-1").exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
    }
}
