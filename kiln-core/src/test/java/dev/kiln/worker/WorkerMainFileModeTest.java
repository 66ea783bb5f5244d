package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The worker's file mode, as a batch script on another node runs it: spec.json in, events.jsonl out. */
class WorkerMainFileModeTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SAMPLE_ID = "00110203-0405-0607-0809-0a0b0c0d0e0f";

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    private Process worker(Path jobDir) throws IOException {
        String java = ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        WorkerMain.class.getName(),
                        "--job-dir",
                        jobDir.toString())
                .redirectErrorStream(true)
                .redirectOutput(
                        tmp.resolve("output-" + jobDir.getFileName() + ".log").toFile())
                .start();
        started.add(p);
        return p;
    }

    private Path jobDir(String name, SampleModule.Params params, Path savePath) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        JobSpec spec = new JobSpec("training-" + name, SAMPLE_ID, Parameters.toJson(params), savePath, null);
        Files.writeString(dir.resolve("spec.json"), spec.toJson());
        return dir;
    }

    private static int exitCode(Process p) throws InterruptedException {
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS))
                .as("worker exited")
                .isTrue();
        return p.exitValue();
    }

    private static List<JsonNode> events(Path dir) throws IOException {
        List<JsonNode> events = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("events.jsonl"))) {
            events.add(KilnJson.strict().readTree(line));
        }
        return events;
    }

    private static List<String> types(List<JsonNode> events) {
        return events.stream().map(e -> e.get("type").asText()).toList();
    }

    @Test
    void aTrainingRunsSavesAndReportsEachStep() throws Exception {
        Path save = tmp.resolve("model");
        Path dir = jobDir("ok", SampleModule.Params.defaults().withBatchSize(7).withSteps(2), save);
        Process p = worker(dir);

        assertThat(exitCode(p)).isEqualTo(0);
        List<JsonNode> events = events(dir);
        assertThat(types(events)).containsExactly("started", "progress", "progress", "completed");
        assertThat(events.get(0).get("pid").asLong()).isEqualTo(p.pid());
        assertThat(events.get(2).get("step").asLong()).isEqualTo(2);
        assertThat(events.get(2).get("metrics").get("loss").asDouble()).isEqualTo(0.5);
        assertThat(events.get(3).get("save_path").asText()).isEqualTo(save.toString());
        for (JsonNode e : events) {
            assertThat(WorkerEvents.parse(e.toString())).isNotNull();
        }
        SampleModel model = (SampleModel) ModelFormat.load(save);
        assertThat(model.batchSize()).isEqualTo(7);
        assertThat(ModelFormat.read(save).string("tracking_id")).isEqualTo("training-ok");
    }

    @Test
    void aModelParameterCrossesAsBytes() throws Exception {
        Path save = tmp.resolve("continued");
        Path dir = jobDir(
                "base", SampleModule.Params.defaults().withBatchSize(5).withBaseModel(new SampleModel(100, 0)), save);
        assertThat(exitCode(worker(dir))).isEqualTo(0);
        assertThat(((SampleModel) ModelFormat.load(save)).batchSize()).isEqualTo(105);
    }

    @Test
    void anExceptionInTrainingIsReportedWithTypeMessageAndStack() throws Exception {
        Path dir = jobDir(
                "fails",
                SampleModule.Params.defaults().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE),
                tmp.resolve("never"));
        assertThat(exitCode(worker(dir))).isEqualTo(1);
        List<JsonNode> events = events(dir);
        assertThat(types(events)).containsExactly("started", "failed");
        JsonNode failed = events.get(1);
        assertThat(failed.get("kind").asText()).isEqualTo("EXCEPTION");
        assertThat(failed.get("error_type").asText()).isEqualTo(IllegalArgumentException.class.getName());
        assertThat(failed.get("message").asText()).isEqualTo("Batch size of 999 is not allowed!");
        assertThat(failed.get("stack").asText()).contains("SampleModule.train");
        assertThat(tmp.resolve("never")).doesNotExist();
    }

    @Test
    void sigtermCancelsTheTrainingAndLeavesNoModel() throws Exception {
        Path gate = tmp.resolve("gate");
        Path startedFile = tmp.resolve("started");
        Path save = tmp.resolve("cancelled-model");
        Path dir = jobDir("cancel", SampleModule.Params.defaults().withGate(gate, startedFile), save);
        Process p = worker(dir);
        await().atMost(WAIT).until(() -> Files.exists(startedFile));

        p.destroy();
        assertThat(exitCode(p)).isEqualTo(143);
        assertThat(types(events(dir))).containsExactly("started", "cancelled");
        assertThat(save).doesNotExist();
    }

    @Test
    void sigusr1AsksForACheckpointAndTheTrainingGoesOn() throws Exception {
        Path gate = tmp.resolve("gate");
        Path startedFile = tmp.resolve("started");
        Path save = tmp.resolve("usr1-model");
        Path dir = jobDir("usr1", SampleModule.Params.defaults().withGate(gate, startedFile), save);
        Process p = worker(dir);
        await().atMost(WAIT).until(() -> Files.exists(startedFile));
        Path output = tmp.resolve("output-usr1.log");

        Process kill = new ProcessBuilder("kill", "-USR1", String.valueOf(p.pid())).start();
        assertThat(kill.waitFor()).isZero();
        await().atMost(WAIT)
                .until(() -> Files.readString(output)
                        .contains("kiln worker: checkpoint requested by SIGUSR1; saving one at the next chance"));
        assertThat(p.isAlive()).as("SIGUSR1 does not end the worker").isTrue();
        Files.writeString(gate, "go");

        assertThat(exitCode(p)).isZero();
        assertThat(types(events(dir))).endsWith("completed");
        assertThat(save).isDirectory();
    }

    @Test
    void aSpecOfAnotherProtocolVersionIsRefused() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("future"));
        Files.writeString(dir.resolve("spec.json"), "{\"protocol\": 2, \"training_id\": \"t\", \"module_id\": \"m\"}");
        assertThat(exitCode(worker(dir))).isEqualTo(1);
        List<JsonNode> events = events(dir);
        assertThat(types(events)).containsExactly("failed");
        assertThat(events.get(0).get("kind").asText()).isEqualTo("PROTOCOL");
        assertThat(events.get(0).get("message").asText())
                .contains("protocol version 2")
                .contains("version 1");
    }

    @Test
    void aMissingSpecIsReportedAsAProtocolFailure() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("empty"));
        assertThat(exitCode(worker(dir))).isEqualTo(1);
        List<JsonNode> events = events(dir);
        assertThat(types(events)).containsExactly("failed");
        assertThat(events.get(0).get("message").asText()).contains("has no spec.json");
    }

    @Test
    void anUnknownModuleIsNamed() throws Exception {
        Path dir = Files.createDirectories(tmp.resolve("unknown"));
        Files.writeString(
                dir.resolve("spec.json"),
                "{\"protocol\": 1, \"training_id\": \"t\", \"module_id\": \"no-such-module\", \"parameters\": {}}");
        assertThat(exitCode(worker(dir))).isEqualTo(1);
        JsonNode failed = events(dir).get(1);
        assertThat(failed.get("kind").asText()).isEqualTo("EXCEPTION");
        assertThat(failed.get("message").asText()).contains("no-such-module");
    }
}
