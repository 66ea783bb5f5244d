package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * {@code c_get_model_future_latency}: {@code getModelFuture(id)} with 10,000 and 1,000,000 finished jobs retained
 * ({@code retention_duration: 1d}), 1000 timed lookups of distinct ids spread over the retained set in shuffled order,
 * plus the median train→await with that many retained. Lookups warm up on another 1000 ids, so the timed ones are
 * not in the CPU caches because of the warm-up. After filling, the heap is collected before anything is timed: G1's
 * background work on a freshly filled heap otherwise takes one of two cores for a second and lands in the timings.
 * {@code --quick} retains 10,000 and 100,000.
 */
public final class LookupScenario implements Scenario {
    static final String NAME = "c_get_model_future_latency";
    private static final int LOOKUPS = 1000;
    private static final int WARM_UP_LOOKUPS = 20_000;
    private static final int TRAIN_WAIT_WARM_UP = 20;
    private static final int TRAIN_WAITS = 200;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        for (int retained : List.of(10_000, run.size(1_000_000, 100_000))) {
            Jobs.settleHeap();
            try (LocalModelTrainer trainer = BenchTrainers.thread("1d")) {
                List<String> ids = new ArrayList<>(LOOKUPS);
                List<String> warmUpIds = new ArrayList<>(LOOKUPS);
                int every = Math.max(2, retained / LOOKUPS);
                int[] seen = {0};
                long t0 = System.nanoTime();
                Jobs.fill(trainer, retained, future -> {
                    int position = seen[0]++ % every;
                    if (position == 0 && ids.size() < LOOKUPS) {
                        ids.add(future.id());
                    } else if (position == every / 2 && warmUpIds.size() < LOOKUPS) {
                        warmUpIds.add(future.id());
                    }
                });
                run.progress(NAME + ": " + retained + " jobs retained in " + Math.round((System.nanoTime() - t0) / 1e6)
                        + " ms");
                Jobs.settleHeap();
                Collections.shuffle(ids, new Random(42));
                for (int i = 0; i < WARM_UP_LOOKUPS; i++) {
                    lookUp(trainer, warmUpIds.get(i % warmUpIds.size()));
                }
                Samples lookups = new Samples(ids.size());
                for (int i = 0; i < ids.size(); i++) {
                    String id = ids.get(i);
                    long start = System.nanoTime();
                    lookUp(trainer, id);
                    lookups.add(System.nanoTime() - start);
                }
                for (int i = 0; i < TRAIN_WAIT_WARM_UP; i++) {
                    Jobs.trainAwait(trainer);
                }
                Samples trainWaits = new Samples(TRAIN_WAITS);
                for (int i = 0; i < TRAIN_WAITS; i++) {
                    long start = System.nanoTime();
                    Jobs.trainAwait(trainer);
                    trainWaits.add(System.nanoTime() - start);
                }
                Map<String, Object> line = BenchOutput.line(NAME);
                line.put("mode", "thread");
                line.put("retention_duration", "1d");
                line.put("futures_retained", retained);
                line.put("n", lookups.size());
                line.put("median_ms", Samples.round(lookups.medianMs()));
                line.put("p99_ms", Samples.round(lookups.percentileMs(99)));
                line.put("train_wait_with_n_retained_median_ms", Samples.round(trainWaits.medianMs()));
                run.emit(line);
            }
        }
    }

    private static void lookUp(LocalModelTrainer trainer, String id) {
        ModelFuture future = trainer.getModelFuture(id);
        if (!future.id().equals(id)) {
            throw new IllegalStateException("Lookup of " + id + " returned " + future.id());
        }
    }
}
