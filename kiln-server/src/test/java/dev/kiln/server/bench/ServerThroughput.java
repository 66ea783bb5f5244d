package dev.kiln.server.bench;

import dev.kiln.config.KilnConfig;
import dev.kiln.json.KilnJson;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.TestServer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Measures the server's throughput on loopback: status GETs per second and submissions per second of a no-op
 * SampleModule training, each the median of several runs. The server runs in this JVM with a fresh journal in a
 * temporary directory; with {@code serve} it only starts the server and prints the URLs, for an external load
 * generator such as {@code wrk}. The {@code journal-} modes restart the server first, so the training is known only
 * from the journal.
 *
 * <pre>java -cp … dev.kiln.server.bench.ServerThroughput [status|submit|serve|journal-status|journal-serve]
 *     [threads] [seconds] [runs]</pre>
 */
public final class ServerThroughput {
    private ServerThroughput() {}

    public static void main(String[] args) throws Exception {
        String mode = args.length > 0 ? args[0] : "status";
        int threads = args.length > 1 ? Integer.parseInt(args[1]) : 16;
        Duration duration = Duration.ofSeconds(args.length > 2 ? Long.parseLong(args[2]) : 10);
        int runs = args.length > 3 ? Integer.parseInt(args[3]) : 3;
        Path dir = Files.createTempDirectory("kiln-throughput-");
        KilnConfig config = TestServer.config(dir, "");
        String body = TestServer.request("bench", KilnJson.strict().createObjectNode())
                .toString();
        KilnServer first = KilnServer.builder(config).port(0).build().start();
        String id = KilnJson.strict()
                .readTree(new dev.kiln.server.testing.Http(first.baseUri())
                        .post(TestServer.SAMPLE_ROUTE, body)
                        .body())
                .get("training_id")
                .asText();
        if (mode.startsWith("journal-")) {
            first.trainings().manager().getModelFuture(id).await();
            first.stop(Duration.ZERO);
            first = KilnServer.builder(config).port(0).build().start();
            mode = mode.substring("journal-".length());
        }
        KilnServer server = first;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(Duration.ZERO);
            dev.kiln.modelformat.ModelFormat.deleteRecursively(dir);
        }));
        try {
            URI base = server.baseUri();
            switch (mode) {
                case "serve" -> {
                    System.out.println("status URL: " + base + "/management/trainings?training_id=" + id);
                    System.out.println("train URL:  " + base + TestServer.SAMPLE_ROUTE + "  body: " + body);
                    System.out.println("Serving until this process is stopped.");
                    server.awaitStopped();
                }
                case "status" ->
                    report(
                            "status GETs/s",
                            threads,
                            duration,
                            runs,
                            () -> new ThroughputProbe().statusGets(base, id, threads, Duration.ofSeconds(3), duration));
                case "submit" ->
                    report(
                            "submissions/s",
                            threads,
                            duration,
                            runs,
                            () -> new ThroughputProbe()
                                    .submissions(
                                            base,
                                            TestServer.SAMPLE_ROUTE,
                                            body,
                                            threads,
                                            Duration.ofSeconds(3),
                                            duration));
                default -> throw new IllegalArgumentException("mode must be status, submit or serve; got " + mode);
            }
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    /** One measured run. */
    @FunctionalInterface
    private interface Run {
        ThroughputProbe.Result go() throws Exception;
    }

    private static void report(String what, int threads, Duration duration, int runs, Run run) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            ThroughputProbe.Result r = run.go();
            rates.add(r.perSecond());
            System.out.printf(
                    "run %d: %s %.0f (%d in %.1f s, %d threads)%n",
                    i + 1, what, r.perSecond(), r.requests(), r.seconds(), threads);
        }
        List<Double> sorted = new ArrayList<>(rates);
        Collections.sort(sorted);
        System.out.printf("median of %d: %s %.0f%n", runs, what, sorted.get(sorted.size() / 2));
    }
}
