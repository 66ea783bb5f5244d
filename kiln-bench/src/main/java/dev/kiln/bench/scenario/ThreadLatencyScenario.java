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
 * floor's median and {@code over_floor} the ratio of the two medians. Those 200 run mostly interpreted, as in a
 * short-lived process; the same pairs are then taken again once the JIT compiler has compiled the round trip (5,000
 * untimed pairs, then 1,000 timed), as a long-running server sees it: the {@code steady_} fields.
 */
public final class ThreadLatencyScenario implements Scenario {
    static final String NAME = "a_thread_train_wait_latency";
    private static final int WARM_UP = 20;
    private static final int N = 200;
    private static final int STEADY_WARM_UP = 5000;
    private static final int STEADY_N = 1000;

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
            pairs(trainer, pool, samples, floor, N);
            pairs(trainer, pool, new Samples(0), new Samples(0), run.size(STEADY_WARM_UP, STEADY_WARM_UP / 10));
            int steadyN = run.size(STEADY_N, STEADY_N / 10);
            Samples steady = new Samples(steadyN);
            Samples steadyFloor = new Samples(steadyN);
            pairs(trainer, pool, steady, steadyFloor, steadyN);
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "thread");
            line.put("retention_duration", null);
            line.put("n", N);
            line.put("median_ms", Samples.round(samples.medianMs()));
            line.put("p90_ms", Samples.round(samples.percentileMs(90)));
            line.put("p99_ms", Samples.round(samples.percentileMs(99)));
            line.put("floor_median_ms", Samples.round(floor.medianMs()));
            line.put("over_floor", Samples.round(samples.medianMs() / floor.medianMs()));
            line.put("steady_n", steadyN);
            line.put("steady_median_ms", Samples.round(steady.medianMs()));
            line.put("steady_p90_ms", Samples.round(steady.percentileMs(90)));
            line.put("steady_floor_median_ms", Samples.round(steadyFloor.medianMs()));
            line.put("steady_over_floor", Samples.round(steady.medianMs() / steadyFloor.medianMs()));
            run.emit(line);
        } finally {
            pool.shutdownNow();
        }
    }

    /** {@code n} train→await round trips, each paired with a floor round trip alternately before and after it. */
    private static void pairs(LocalModelTrainer trainer, ExecutorService pool, Samples kiln, Samples floor, int n)
            throws Exception {
        for (int i = 0; i < n; i++) {
            if (i % 2 == 1) {
                floor.add(floorSample(pool));
            }
            long t0 = System.nanoTime();
            Jobs.trainAwait(trainer);
            kiln.add(System.nanoTime() - t0);
            if (i % 2 == 0) {
                floor.add(floorSample(pool));
            }
        }
    }

    private static long floorSample(ExecutorService pool) throws Exception {
        long t0 = System.nanoTime();
        FloorScenario.SupplyAsync.roundTrip(pool);
        return System.nanoTime() - t0;
    }
}
