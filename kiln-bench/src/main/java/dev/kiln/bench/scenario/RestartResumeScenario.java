package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * {@code restart_resume_text_classifier}: how long after a {@code kiln serve} process is SIGKILLed in the middle of a
 * training (the demo's spam filter in a child JVM, checkpointing every epoch) its successor, started at once on the
 * same journal, has the training running again. Each round starts a server, trains until epoch 2 is reported, kills
 * the server, starts a new one and measures from its launch: until it listens ({@code listen_ms}, the floor: a
 * server start with nothing to resume), until the training is RUNNING again ({@code running_ms}: resubmitted and given
 * its slot, which a start does before it listens), and until it reports its first epoch past the restart
 * ({@code next_epoch_ms}: the child JVM's start, loading the data and training one epoch included).
 * Every wait polls the HTTP API every 5 ms.
 */
public final class RestartResumeScenario implements Scenario {
    static final String NAME = "restart_resume_text_classifier";
    private static final String LISTENING = "Kiln server listening on ";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(3);

    private final HttpClient http = HttpClient.newHttpClient();

    @Override
    public String name() {
        return "resume";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        int rounds = run.size(5, 1);
        Samples listen = new Samples(rounds);
        Samples running = new Samples(rounds);
        Samples nextEpoch = new Samples(rounds);
        for (int i = 0; i < rounds; i++) {
            Path dir = run.directory("resume-" + i);
            List<String> lines = SpamCorpus.lines();
            Files.createDirectories(dir.resolve("data"));
            Files.write(dir.resolve("data/train.jsonl"), lines.subList(SpamCorpus.HELD_OUT, lines.size()));
            Path config = Files.writeString(dir.resolve("kiln.yml"), config(dir));
            Server first = start(config, dir.resolve("first"));
            String id;
            try {
                id = first.train();
                first.awaitDetail(id, d -> step(d) >= 2);
            } finally {
                first.kill();
            }
            long t0 = System.nanoTime();
            Server second = start(config, dir.resolve("second"));
            try {
                listen.add(System.nanoTime() - t0);
                long reached = step(second.detail(id));
                second.awaitDetail(id, d -> "RUNNING".equals(d.get("state").asText()));
                running.add(System.nanoTime() - t0);
                second.awaitDetail(id, d -> step(d) > reached);
                nextEpoch.add(System.nanoTime() - t0);
                second.send(HttpRequest.newBuilder(second.uri.resolve("/management/trainings?training_id=" + id))
                        .DELETE());
            } finally {
                second.kill();
            }
        }
        Map<String, Object> line = BenchOutput.line(NAME);
        line.put("model", "TextClassifier spam (kiln demo data), child JVM, checkpoint_every 1");
        line.put("rounds", rounds);
        line.put("listen_ms", Samples.round(listen.medianMs()));
        line.put("running_ms", Samples.round(running.medianMs()));
        line.put("next_epoch_ms", Samples.round(nextEpoch.medianMs()));
        run.emit(line);
    }

    private static String config(Path dir) {
        return """
                runtime:
                  http: {port: 0, server_shutdown_grace_period_seconds: 0}
                  grpc: {port: 0}
                  training: {output_dir: %s}
                  journal: {path: %s}
                  local_models_dir: %s
                data_streams: {file_source_base: %s}
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {use_subprocess: true, max_concurrent_jobs: 1, work_dir: %s}
                """.formatted(
                        dir.resolve("models"),
                        dir.resolve("journal.db"),
                        dir.resolve("local-models"),
                        dir.resolve("data"),
                        dir.resolve("work"));
    }

    private static long step(JsonNode detail) {
        JsonNode p = detail.get("progress");
        return p == null || p.isNull() ? 0 : p.get("step").asLong();
    }

    /** A {@code kiln serve} in its own JVM, with this JVM's class path. */
    private final class Server {
        private final Process process;
        private final URI uri;

        private Server(Process process, URI uri) {
            this.process = process;
            this.uri = uri;
        }

        String train() throws IOException, InterruptedException {
            ObjectNode body = JSON.createObjectNode().put("model_name", "spam");
            body.putObject("parameters")
                    .put("epochs", 1000)
                    .put("checkpoint_every", 1)
                    .putObject("training_data")
                    .putObject("file")
                    .put("filename", "train.jsonl");
            JsonNode answer =
                    send(HttpRequest.newBuilder(uri.resolve("/api/v1/TextClassificationTaskTextClassifierTrain"))
                            .header("Content-Type", "application/json")
                            .POST(HttpRequest.BodyPublishers.ofString(body.toString())));
            return answer.get("training_id").asText();
        }

        JsonNode detail(String id) throws IOException, InterruptedException {
            return send(HttpRequest.newBuilder(uri.resolve("/management/trainings/" + id))
                    .GET());
        }

        void awaitDetail(String id, Predicate<JsonNode> done) throws IOException, InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!done.test(detail(id))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("training " + id + " did not get there within " + WAIT);
                }
                Thread.sleep(5);
            }
        }

        JsonNode send(HttpRequest.Builder request) throws IOException, InterruptedException {
            HttpResponse<String> r = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException(r.statusCode() + " from " + r.uri() + ": " + r.body());
            }
            return JSON.readTree(r.body());
        }

        void kill() throws InterruptedException {
            process.destroyForcibly();
            process.waitFor();
        }
    }

    /** Starts {@code kiln serve}'s main class with this JVM's class path; returns once it listens. */
    private Server start(Path config, Path logs) throws IOException, InterruptedException {
        Path out = logs.resolveSibling(logs.getFileName() + ".out");
        Path err = logs.resolveSibling(logs.getFileName() + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "dev.kiln.server.ServerMain",
                        "--config",
                        config.toString(),
                        "--port",
                        "0")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        long deadline = System.nanoTime() + WAIT.toNanos();
        Optional<URI> uri = listening(out);
        while (uri.isEmpty()) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("the server did not start: " + Files.readString(err));
            }
            Thread.sleep(5);
            uri = listening(out);
        }
        return new Server(p, uri.get());
    }

    private static Optional<URI> listening(Path out) throws IOException {
        if (!Files.exists(out)) {
            return Optional.empty();
        }
        return Files.readAllLines(out).stream()
                .filter(l -> l.startsWith(LISTENING))
                .map(l -> l.substring(LISTENING.length()).trim())
                .map(rest -> URI.create(rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest))
                .findFirst();
    }
}
