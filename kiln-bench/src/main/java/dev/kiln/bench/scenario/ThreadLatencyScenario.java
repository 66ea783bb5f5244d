package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * {@code a_thread_train_wait_latency}: one train→await round trip in thread mode, retention off, 200 after 20. Each
 * sample is paired with one of the machine's floor, a bare {@code supplyAsync(…, cachedPool).get()}, taken in the same
 * loop (alternately before and after it), so both land in the same wake-up regime; {@code floor_median_ms} is the
 * floor's median and {@code over_floor} the ratio of the two medians.
 */
public final class ThreadLatencyScenario implements Scenario {
    static final String NAME = "a_thread_train_wait_latency";
    private static final int WARM_UP = 20;
    private static final int N = 200;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        ExecutorService pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "floor-pool");
            t.setDaemon(true);
            return t;
        });
        try (LocalModelTrainer trainer = BenchTrainers.thread(null)) {
            for (int i = 0; i < WARM_UP; i++) {
                Jobs.trainAwait(trainer);
                FloorScenario.SupplyAsync.roundTrip(pool);
            }
            Samples samples = new Samples(N);
            Samples floor = new Samples(N);
            for (int i = 0; i < N; i++) {
                if (i % 2 == 1) {
                    floor.add(floorSample(pool));
                }
                long t0 = System.nanoTime();
                Jobs.trainAwait(trainer);
                samples.add(System.nanoTime() - t0);
                if (i % 2 == 0) {
                    floor.add(floorSample(pool));
                }
            }
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "thread");
            line.put("retention_duration", null);
            line.put("n", N);
            line.put("median_ms", Samples.round(samples.medianMs()));
            line.put("p90_ms", Samples.round(samples.percentileMs(90)));
            line.put("p99_ms", Samples.round(samples.percentileMs(99)));
            line.put("floor_median_ms", Samples.round(floor.medianMs()));
            line.put("over_floor", Samples.round(samples.medianMs() / floor.medianMs()));
            run.emit(line);
        } finally {
            pool.shutdownNow();
        }
    }

    private static long floorSample(ExecutorService pool) throws Exception {
        long t0 = System.nanoTime();
        FloorScenario.SupplyAsync.roundTrip(pool);
        return System.nanoTime() - t0;
    }
}
