package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Hello;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/** What this machine allows at best, measured beside Kiln's figures so ratios can be quoted against it. */
public final class FloorScenario {
    private FloorScenario() {}

    /**
     * {@code floor_supply_async_round_trip}: a bare {@code CompletableFuture.supplyAsync(…, pool).get()} on a cached
     * pool, two thread wake-ups and nothing else; the least any thread-mode train→await can cost.
     */
    public static final class SupplyAsync implements Scenario {
        static final String NAME = "floor_supply_async_round_trip";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void run(BenchRun run) throws Exception {
            int n = 2000;
            int count = 2000;
            int trials = 3;
            ExecutorService pool = Executors.newCachedThreadPool(r -> {
                Thread t = new Thread(r, "floor-pool");
                t.setDaemon(true);
                return t;
            });
            try {
                for (int i = 0; i < 2000; i++) {
                    roundTrip(pool);
                }
                Samples samples = new Samples(n);
                for (int i = 0; i < n; i++) {
                    long t0 = System.nanoTime();
                    roundTrip(pool);
                    samples.add(System.nanoTime() - t0);
                }
                double[] opsPerSecond = new double[trials];
                for (int trial = 0; trial < trials; trial++) {
                    long t0 = System.nanoTime();
                    for (int i = 0; i < count; i++) {
                        roundTrip(pool);
                    }
                    opsPerSecond[trial] = count / ((System.nanoTime() - t0) / 1e9);
                }
                Map<String, Object> line = BenchOutput.line(NAME);
                line.put("n", n);
                line.put("median_ms", Samples.round(samples.medianMs()));
                line.put("p90_ms", Samples.round(samples.percentileMs(90)));
                line.put("count", count);
                line.put("trials", trials);
                line.put("ops_per_s", Samples.round(Samples.median(opsPerSecond)));
                run.emit(line);
            } finally {
                pool.shutdownNow();
            }
        }

        /** One bare round trip through the pool. */
        static void roundTrip(ExecutorService pool) throws Exception {
            CompletableFuture.supplyAsync(() -> Boolean.TRUE, pool).get();
        }
    }

    /** One sample of a JVM floor, in nanoseconds. */
    private interface JvmSample {
        long take() throws Exception;
    }

    /** {@code n} samples taken after an untimed one (the first JVM of a run may find the disk cold). */
    private static Samples afterOne(int n, JvmSample sample) throws Exception {
        sample.take();
        Samples samples = new Samples(n);
        for (int i = 0; i < n; i++) {
            samples.add(sample.take());
        }
        return samples;
    }

    /** A JVM floor's line: the {@code java} it ran, and the median and 90th percentile of its {@code n} samples. */
    private static Map<String, Object> jvmLine(String name, String java, Samples samples, int n) {
        Map<String, Object> line = BenchOutput.line(name);
        line.put("java", java);
        line.put("n", n);
        line.put("median_ms", Samples.round(samples.medianMs()));
        line.put("p90_ms", Samples.round(samples.percentileMs(90)));
        return line;
    }

    /** {@code floor_java_hello_start}: starting {@code java Hello} and waiting for it to exit, the JVM's own cost. */
    public static final class JavaHello implements Scenario {
        static final String NAME = "floor_java_hello_start";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void run(BenchRun run) throws Exception {
            int n = run.size(10, 3);
            String java = run.options().childJava();
            List<String> command = List.of(java, "-cp", System.getProperty("java.class.path"), Hello.class.getName());
            Samples samples = afterOne(n, () -> {
                long t0 = System.nanoTime();
                start(command);
                return System.nanoTime() - t0;
            });
            run.emit(jvmLine(NAME, java, samples, n));
        }

        private static void start(List<String> command) throws Exception {
            Process process = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("java Hello did not exit within 60 seconds");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException("java Hello exited with code " + process.exitValue());
            }
        }
    }

    /**
     * {@code floor_java_kill}: a waiting {@code java Hello wait}, with the options Kiln starts its child JVMs with,
     * killed (SIGKILL) and seen gone through {@link Process#onExit()}, as the cancel line sees a worker go: what ending
     * a JVM costs this machine, Kiln or not.
     */
    public static final class JavaKill implements Scenario {
        static final String NAME = "floor_java_kill";

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public void run(BenchRun run) throws Exception {
            int n = run.size(10, 3);
            String java = run.options().childJava();
            List<String> command = new ArrayList<>();
            command.add(java);
            command.addAll(LocalModelTrainer.defaultChildJvmOptions());
            command.addAll(List.of("-cp", System.getProperty("java.class.path"), Hello.class.getName(), "wait"));
            Samples samples = afterOne(n, () -> kill(command));
            Map<String, Object> line = jvmLine(NAME, java, samples, n);
            line.put("options", LocalModelTrainer.defaultChildJvmOptions());
            run.emit(line);
        }

        /** Starts a waiting JVM, and once it is ready, the nanoseconds from its kill to its exit seen. */
        private static long kill(List<String> command) throws Exception {
            Process process =
                    new ProcessBuilder(command).redirectErrorStream(true).start();
            try (BufferedReader out =
                    new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String first = out.readLine();
                if (!"ready".equals(first)) {
                    process.destroyForcibly();
                    throw new IllegalStateException("java Hello wait said " + first + " instead of ready");
                }
                long t0 = System.nanoTime();
                process.destroyForcibly();
                process.onExit().get(60, TimeUnit.SECONDS);
                return System.nanoTime() - t0;
            } finally {
                process.getOutputStream().close();
            }
        }
    }
}
