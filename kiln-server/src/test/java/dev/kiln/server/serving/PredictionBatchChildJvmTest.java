package dev.kiln.server.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.KeywordClassifier;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kiln's batches with {@code use_subprocess: true} in the job predictor's settings: each runs in a worker JVM, answers
 * exactly what a batch in a thread answers, reports progress per record, and on cancel or a crash leaves no results
 * and no process behind. The records come through a named pipe where a batch must be caught half-way.
 */
class PredictionBatchChildJvmTest {
    private static final String TEXTS = "{\"text\":\"win money now\"}\n{\"text\":\"lunch at noon\"}\n"
            + "{\"text\":\"free prize\"}\n{\"text\":\"see you at lunch\"}\n{\"text\":\"money for lunch\"}\n";

    @TempDir
    Path dir;

    private TestServer server;
    private volatile OutputStream held;

    @AfterEach
    void stop() throws IOException {
        try {
            if (held != null) {
                held.close();
            }
        } catch (IOException e) {
            // the reader was killed: the pipe is broken, as expected
        } finally {
            if (server != null) {
                server.close();
            }
        }
    }

    /**
     * The job predictor's section: batches in child JVMs started by {@code method}, whose class path adds a
     * service file so the worker finds the test's text classifier as the server does.
     */
    private String childJvm(Path root, String method) throws IOException {
        Path services = root.resolve("child-services/META-INF/services");
        Files.createDirectories(services);
        Files.writeString(services.resolve("dev.kiln.module.ModuleType"), KeywordClassifier.class.getName() + "\n");
        String classpath =
                System.getProperty("java.class.path") + java.io.File.pathSeparator + root.resolve("child-services");
        return """
                model_management:
                  job_predictors:
                    default:
                      config:
                        use_subprocess: true
                        subprocess_start_method: %s
                        warm_pool_size: 1
                        cancel_grace_period: 1s
                        work_dir: '%s'
                        result_dir: '%s'
                        classpath: '%s'
                """.formatted(method, root.resolve("work"), root.resolve("results"), classpath);
    }

    /** Starts a server over {@code root} and trains the spam model on it. */
    private TestServer serve(Path root, String yaml) throws IOException {
        Files.createDirectories(root);
        server = CaikitServingContractTest.start(root, yaml);
        StringBuilder lines = new StringBuilder();
        for (JsonNode r : KilnJson.strict().readTree(CaikitServingContractTest.RECORDS)) {
            lines.append(r).append('\n');
        }
        Files.writeString(server.data().resolve("train.jsonl"), lines);
        Http.Reply r = server.http()
                .post(
                        CaikitServingContractTest.TRAIN,
                        "{\"model_name\":\"spam\",\"parameters\":{\"training_data\":{\"filename\":\"train.jsonl\"}}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        server.awaitState(r.json().get("training_id").asText(), "COMPLETED");
        return server;
    }

    private String startBatch(String file) {
        Http.Reply r = server.http()
                .post(
                        "/management/predictions",
                        "{\"task\":\"text-classification\",\"model_id\":\"spam\"," + "\"data_stream\":{\"filename\":\""
                                + file + "\"}}");
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().get("prediction_id").asText();
    }

    private JsonNode detail(String id) {
        return server.http().get("/management/predictions/" + id).json();
    }

    private JsonNode awaitEnd(String id) {
        await().atMost(TestServer.WAIT)
                .until(() -> detail(id).get("state").asText().matches("COMPLETED|ERRORED|CANCELED"));
        return detail(id);
    }

    /** Runs one batch over the texts on a fresh server configured by {@code yaml}; answers its results. */
    private String batchResults(Path root, String yaml) throws IOException {
        serve(root, yaml);
        Files.writeString(server.data().resolve("texts.jsonl"), TEXTS);
        String id = startBatch("texts.jsonl");
        JsonNode end = awaitEnd(id);
        assertThat(end.get("state").asText()).as(end.toString()).isEqualTo("COMPLETED");
        assertThat(end.get("records_done").asLong()).isEqualTo(5);
        assertThat(end.get("records_total").asLong()).isEqualTo(5);
        Http.Reply results = server.http().get("/management/predictions/" + id + "/results");
        assertThat(results.status()).as(results.toString()).isEqualTo(200);
        server.close();
        server = null;
        return results.body();
    }

    @Test
    void aBatchInAChildJvmAnswersWhatABatchInAThreadAnswers() throws IOException {
        String inThread = batchResults(dir.resolve("thread"), "");
        String spawned = batchResults(dir.resolve("spawn"), childJvm(dir.resolve("spawn"), "spawn"));
        String forkserver = batchResults(dir.resolve("forkserver"), childJvm(dir.resolve("forkserver"), "forkserver"));

        List<String> lines = inThread.lines().toList();
        assertThat(lines).hasSize(5);
        assertThat(KilnJson.strict()
                        .readTree(lines.get(0))
                        .at("/results/0/label")
                        .asText())
                .isEqualTo("spam");
        assertThat(KilnJson.strict()
                        .readTree(lines.get(1))
                        .at("/results/0/label")
                        .asText())
                .isEqualTo("ham");
        assertThat(spawned).isEqualTo(inThread);
        assertThat(forkserver).isEqualTo(inThread);
    }

    @Test
    void aCancelDuringABatchStopsTheChildAndLeavesNoResults() throws Exception {
        Path root = dir.resolve("cancel");
        serve(root, childJvm(root, "spawn"));
        String id = startBatch(halfFedPipe());
        ProcessHandle worker = awaitHalfWay(id);
        Path results = root.resolve("results").resolve(id);
        assertThat(results.resolve("results.jsonl.partial"))
                .as("the results being written")
                .exists();

        Http.Reply canceled = server.http().delete("/management/predictions/" + id);
        assertThat(canceled.status()).as(canceled.toString()).isEqualTo(200);
        assertThat(canceled.json().get("state").asText()).isEqualTo("CANCELED");

        await().atMost(TestServer.WAIT).until(() -> !worker.isAlive());
        await().atMost(TestServer.WAIT).until(() -> filesIn(results).isEmpty());
        assertThat(detail(id).get("state").asText()).isEqualTo("CANCELED");
        assertThat(server.http()
                        .get("/management/predictions/" + id + "/results")
                        .status())
                .isEqualTo(404);
    }

    @Test
    void aChildThatDiesMidBatchEndsItErroredWithTheCause() throws Exception {
        Path root = dir.resolve("crash");
        serve(root, childJvm(root, "spawn"));
        String id = startBatch(halfFedPipe());
        ProcessHandle worker = awaitHalfWay(id);

        assertThat(worker.destroyForcibly()).isTrue();

        JsonNode end = awaitEnd(id);
        assertThat(end.get("state").asText()).as(end.toString()).isEqualTo("ERRORED");
        assertThat(end.get("reasons").get(0).asText()).contains("signal 9");
        await().atMost(TestServer.WAIT)
                .until(() -> filesIn(root.resolve("results").resolve(id)).isEmpty());
    }

    /** A named pipe in the data directory, fed three records for the worker's count of them. */
    private String halfFedPipe() throws Exception {
        Path pipe = server.data().resolve("held.jsonl");
        Process mkfifo = new ProcessBuilder("mkfifo", pipe.toString()).start();
        assertThat(mkfifo.waitFor()).isZero();
        String[] texts = TEXTS.split("\n");
        CompletableFuture.runAsync(() -> {
            try (OutputStream counted = Files.newOutputStream(pipe)) {
                counted.write((texts[0] + "\n" + texts[1] + "\n" + texts[2] + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return "held.jsonl";
    }

    /**
     * Once the worker has counted three records, feeds it two of them on its second read and keeps the pipe open, so
     * it waits for the third; answers the worker's process when it has done two.
     */
    private ProcessHandle awaitHalfWay(String id) {
        await().atMost(TestServer.WAIT)
                .until(() -> detail(id).get("records_total").asLong() == 3);
        assertThat(detail(id).get("records_done").asLong()).isZero();
        Path pipe = server.data().resolve("held.jsonl");
        String[] texts = TEXTS.split("\n");
        CompletableFuture.runAsync(() -> {
            try {
                OutputStream out = Files.newOutputStream(pipe);
                held = out;
                out.write((texts[0] + "\n" + texts[1] + "\n").getBytes(StandardCharsets.UTF_8));
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        await().atMost(TestServer.WAIT)
                .until(() -> detail(id).get("records_done").asLong() == 2);
        JsonNode running = detail(id);
        assertThat(running.get("state").asText()).isEqualTo("RUNNING");
        List<ProcessHandle> workers = ProcessHandle.current()
                .descendants()
                .filter(p -> commandLine(p).contains("dev.kiln.worker.WorkerMain"))
                .toList();
        assertThat(workers).as("the batch's worker JVM").hasSize(1);
        return workers.get(0);
    }

    /** A process's whole command line, read from {@code /proc}: {@link ProcessHandle.Info} gives up on long ones. */
    private static String commandLine(ProcessHandle process) {
        try {
            return new String(
                    Files.readAllBytes(Path.of("/proc", Long.toString(process.pid()), "cmdline")),
                    StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }
}
