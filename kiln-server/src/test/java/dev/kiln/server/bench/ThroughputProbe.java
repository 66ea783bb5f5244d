package dev.kiln.server.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;

/**
 * A closed-loop load generator on java.net.http: {@code threads} clients each send one request after another over
 * keep-alive connections for a fixed time, and the rate of successful answers is measured. Used for the server's
 * status-GET and submission throughput; any non-2xx answer fails the run.
 */
public final class ThroughputProbe {
    private final HttpClient client = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10))
            .build();

    /** Requests per second of caikit's status GET for one training. */
    public Result statusGets(URI base, String trainingId, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(base.resolve("/management/trainings?training_id=" + trainingId))
                .GET()
                .build();
        return run(() -> req, threads, warmup, duration);
    }

    /** Training submissions per second of a request body to a training route. */
    public Result submissions(URI base, String route, String body, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        return posts(base, route, body, threads, warmup, duration);
    }

    /** Predictions per second of a request body to a task's inference route. */
    public Result predictions(URI base, String route, String body, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        return posts(base, route, body, threads, warmup, duration);
    }

    private Result posts(URI base, String route, String body, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        return run(
                () -> HttpRequest.newBuilder(base.resolve(route))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                threads,
                warmup,
                duration);
    }

    private Result run(Supplier<HttpRequest> request, int threads, Duration warmup, Duration duration)
            throws InterruptedException {
        LongAdder done = new LongAdder();
        AtomicBoolean counting = new AtomicBoolean();
        AtomicBoolean stop = new AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(
                    () -> {
                        try {
                            while (!stop.get()) {
                                HttpResponse<byte[]> r =
                                        client.send(request.get(), HttpResponse.BodyHandlers.ofByteArray());
                                if (r.statusCode() / 100 != 2) {
                                    throw new IllegalStateException(
                                            "answered " + r.statusCode() + ": " + new String(r.body()));
                                }
                                if (counting.get()) {
                                    done.increment();
                                }
                            }
                        } catch (IOException | RuntimeException e) {
                            failures.add(e);
                            stop.set(true);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    },
                    "probe-" + i);
            workers.add(t);
            t.start();
        }
        Thread.sleep(warmup.toMillis());
        counting.set(true);
        long t0 = System.nanoTime();
        Thread.sleep(duration.toMillis());
        counting.set(false);
        long elapsed = System.nanoTime() - t0;
        long count = done.sum();
        stop.set(true);
        for (Thread t : workers) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("the load run failed: " + failures.get(0), failures.get(0));
        }
        return new Result(count, elapsed / 1e9);
    }

    /**
     * What a run measured.
     *
     * @param requests successful answers while counting
     * @param seconds how long it counted
     */
    public record Result(long requests, double seconds) {
        public double perSecond() {
            return requests / seconds;
        }
    }
}
