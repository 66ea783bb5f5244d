package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.server.jobs.Interruption;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.ServerProcess;
import dev.kiln.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server in its own JVM is SIGKILLed (or stopped with SIGTERM) while a text classifier trains in a child JVM; a new
 * server on the same journal resumes it from its checkpoint under the same id, and its model predicts exactly as one
 * trained straight through.
 */
class ResumeAfterServerCrashTest {
    private static final String ROUTE = "/api/v1/TextClassificationTaskTextClassifierTrain";
    private static final int EPOCHS = 30;
    private static final Duration WAIT = Duration.ofMinutes(3);

    @TempDir
    Path tmp;

    private final List<String> heldOut = new ArrayList<>();

    /** Splits the shipped spam corpus: 80% to train on (in the server's data directory), 20% held out. */
    @BeforeEach
    void split() throws Exception {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(ShippedDataset.SPAM_ASSASSIN.open(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        Collections.shuffle(lines, new Random(13));
        int held = lines.size() / 5;
        Files.createDirectories(tmp.resolve("data"));
        Files.write(tmp.resolve("data/train.jsonl"), lines.subList(held, lines.size()), StandardCharsets.UTF_8);
        for (String line : lines.subList(0, held)) {
            heldOut.add(KilnJson.strict().readTree(line).get("text").asText());
        }
    }

    private KilnConfig config(boolean resume) {
        return TestServer.config(tmp, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config:
                        use_subprocess: true
                        max_concurrent_jobs: 1
                        work_dir: %s
                        resume_interrupted: %s
                """.formatted(tmp.resolve("work"), resume));
    }

    private static String train(Http http, String model, int priority) {
        return train(http, model, priority, 1);
    }

    private static String train(Http http, String model, int priority, int checkpointEvery) {
        ObjectNode body = KilnJson.strict().createObjectNode().put("model_name", model);
        body.put("priority", priority);
        body.putObject("parameters")
                .put("epochs", EPOCHS)
                .put("checkpoint_every", checkpointEvery)
                .putObject("training_data")
                .putObject("file")
                .put("filename", "train.jsonl");
        Http.Reply r = http.post(ROUTE, body);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("training_id").asText();
    }

    private static JsonNode detail(Http http, String id) {
        return http.get("/management/trainings/" + id).json();
    }

    private static long step(Http http, String id) {
        JsonNode p = detail(http, id).get("progress");
        return p == null || p.isNull() ? 0 : p.get("step").asLong();
    }

    private static void awaitState(Http http, String id, String state) {
        await().atMost(WAIT).until(() -> detail(http, id).get("state").asText().equals(state));
    }

    @Test
    void aTrainingRunningWhenTheServerIsKilledResumesUnderItsIdToTheSameModel() throws Exception {
        String interrupted;
        String queued;
        long reached;
        List<ProcessHandle> children;
        ServerProcess first = ServerProcess.start(tmp, config(true), "first", List.of(), WAIT);
        try {
            Http http = first.http();
            interrupted = train(http, "interrupted", 0);
            queued = train(http, "straight", 0);
            await().atMost(WAIT).until(() -> step(http, interrupted) >= 3);
            assertThat(detail(http, queued).get("state").asText()).isEqualTo("QUEUED");
            assertThat(detail(http, queued).get("priority").asInt()).isZero();
            children = ProcessHandle.of(first.pid()).orElseThrow().descendants().toList();
        } finally {
            assertThat(first.kill()).isEqualTo(137);
        }
        assertThat(children).as("the child JVM training when the server died").isNotEmpty();

        ServerProcess second = ServerProcess.start(tmp, config(true), "second", List.of(), WAIT);
        try {
            Http http = second.http();
            assertThat(second.stderr())
                    .contains("are resumed from their checkpoints")
                    .contains(interrupted);
            assertThat(http.get("/management/trainings").json().get("total").asLong())
                    .isEqualTo(2);
            reached = step(http, interrupted);
            assertThat(reached).as("progress kept across the restart").isPositive();
            awaitState(http, interrupted, "COMPLETED");
            awaitState(http, queued, "COMPLETED");
            await().atMost(WAIT).until(() -> children.stream().noneMatch(ProcessHandle::isAlive));

            assertThat(http.get("/management/trainings/" + interrupted + "/logs")
                            .body())
                    .as("the resumed attempt started from a checkpoint, not from epoch 0")
                    .containsPattern("Resuming after epoch ([2-9]|[12][0-9])/" + EPOCHS);
            List<Long> steps = new ArrayList<>();
            http.get("/management/trainings/" + interrupted + "/progress?limit=1000")
                    .json()
                    .get("points")
                    .forEach(p -> steps.add(p.get("step").asLong()));
            assertThat(steps)
                    .as("no epoch replayed, none going back")
                    .isSorted()
                    .doesNotHaveDuplicates();
            assertThat(steps).first().isEqualTo(1L);
            assertThat(steps).last().isEqualTo((long) EPOCHS);

            TextClassifierModel resumed = load(http, interrupted);
            TextClassifierModel straight = load(http, queued);
            assertThat(heldOut).hasSizeGreaterThan(500);
            for (String text : heldOut) {
                assertThat(resumed.predict(text)).isEqualTo(straight.predict(text));
            }
        } finally {
            second.terminate();
        }
    }

    /**
     * Checkpoints every 7 epochs: the stop asks the child JVM for one more, so the resumed attempt starts after the
     * last epoch the first server recorded, not at the last multiple of 7 before it.
     */
    @Test
    void aGracefulStopLeavesRunningAndQueuedTrainingsResumableFromALastCheckpoint() throws Exception {
        String interrupted;
        String queued;
        List<ProcessHandle> children;
        ServerProcess first = ServerProcess.start(tmp, config(true), "first", List.of(), WAIT);
        try {
            Http http = first.http();
            interrupted = train(http, "interrupted", 0, 7);
            queued = train(http, "straight", 0, 7);
            await().atMost(WAIT).until(() -> step(http, interrupted) >= 8);
            assertThat(detail(http, queued).get("state").asText()).isEqualTo("QUEUED");
            children = ProcessHandle.of(first.pid()).orElseThrow().descendants().toList();
        } finally {
            assertThat(first.terminate()).isEqualTo(143);
        }
        assertThat(children)
                .as("the child JVM training when the server stopped")
                .isNotEmpty();
        assertThat(children).as("the stop ends the child JVMs").noneMatch(ProcessHandle::isAlive);
        assertThat(first.stderr())
                .contains("Asked 1 running trainings for a checkpoint")
                .contains("stay resumable")
                .doesNotContain("recorded as interrupted");
        Path checkpoints = tmp.resolve("work/default/checkpoints").resolve(interrupted);
        try (var files = Files.list(checkpoints)) {
            assertThat(files.map(f -> f.getFileName().toString()))
                    .as("the checkpoints kept in " + checkpoints)
                    .anyMatch(name -> name.startsWith("checkpoint-"));
        }

        ServerProcess second = ServerProcess.start(tmp, config(true), "second", List.of(), WAIT);
        try {
            Http http = second.http();
            assertThat(second.stderr())
                    .contains("are resumed from their checkpoints")
                    .contains(interrupted)
                    .contains(queued);
            long recorded = step(http, interrupted);
            assertThat(recorded).as("progress kept across the restart").isGreaterThanOrEqualTo(8);
            awaitState(http, interrupted, "COMPLETED");
            awaitState(http, queued, "COMPLETED");

            java.util.regex.Matcher resumedAt = java.util.regex.Pattern.compile("Resuming after epoch (\\d+)/" + EPOCHS)
                    .matcher(http.get("/management/trainings/" + interrupted + "/logs")
                            .body());
            assertThat(resumedAt.find())
                    .as("the resumed attempt started from a checkpoint")
                    .isTrue();
            assertThat(Long.parseLong(resumedAt.group(1)))
                    .as("the last checkpoint taken at the stop, at or after the last epoch recorded")
                    .isGreaterThanOrEqualTo(recorded);
            assertThat(http.get("/management/trainings/" + queued + "/logs").body())
                    .doesNotContain("Resuming after epoch");

            TextClassifierModel resumed = load(http, interrupted);
            TextClassifierModel straight = load(http, queued);
            for (String text : heldOut) {
                assertThat(resumed.predict(text)).isEqualTo(straight.predict(text));
            }
        } finally {
            second.terminate();
        }
    }

    @Test
    void withResumeInterruptedOffAGracefulStopRecordsARunningTrainingAsInterrupted() throws Exception {
        String running;
        ServerProcess first = ServerProcess.start(tmp, config(false), "first", List.of(), WAIT);
        try {
            Http http = first.http();
            running = train(http, "interrupted", 0);
            await().atMost(WAIT).until(() -> step(http, running) >= 1);
        } finally {
            assertThat(first.terminate()).isEqualTo(143);
        }
        assertThat(tmp.resolve("work/default/checkpoints").resolve(running))
                .as("checkpoints deleted with the interrupted training")
                .doesNotExist();
        ServerProcess second = ServerProcess.start(tmp, config(false), "second", List.of(), WAIT);
        try {
            JsonNode status = second.http()
                    .get("/management/trainings?training_id=" + running)
                    .json();
            assertThat(status.get("state").asText()).isEqualTo("ERRORED");
            assertThat(status.get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
            assertThat(second.stderr()).doesNotContain("resumed from their checkpoints");
        } finally {
            second.terminate();
        }
    }

    @Test
    void withResumeInterruptedOffATrainingRunningWhenTheServerIsKilledIsRecordedAsInterrupted() throws Exception {
        String running;
        ServerProcess first = ServerProcess.start(tmp, config(false), "first", List.of(), WAIT);
        try {
            Http http = first.http();
            running = train(http, "interrupted", 0);
            await().atMost(WAIT).until(() -> step(http, running) >= 1);
        } finally {
            assertThat(first.kill()).isEqualTo(137);
        }
        ServerProcess second = ServerProcess.start(tmp, config(false), "second", List.of(), WAIT);
        try {
            JsonNode status = second.http()
                    .get("/management/trainings?training_id=" + running)
                    .json();
            assertThat(status.get("state").asText()).isEqualTo("ERRORED");
            assertThat(status.get("reasons").get(0).asText()).isEqualTo(Interruption.REASON);
            assertThat(second.stderr()).doesNotContain("resumed from their checkpoints");
        } finally {
            second.terminate();
        }
    }

    private static TextClassifierModel load(Http http, String id) {
        return (TextClassifierModel)
                ModelFormat.load(Path.of(detail(http, id).get("save_path").asText()));
    }
}
