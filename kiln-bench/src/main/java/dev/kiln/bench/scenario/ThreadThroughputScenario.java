package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import java.util.Arrays;
import java.util.Map;

/**
 * {@code a_thread_train_wait_throughput}: 2000 sequential train+await in thread mode, three trials, the median trial's
 * rate; once with retention off and once with {@code retention_duration: 1d}. Ten untimed trials warm up first, so
 * the JIT compiler has finished with the round trip and does not hold one of two cores during the timed trials.
 */
public final class ThreadThroughputScenario implements Scenario {
    static final String NAME = "a_thread_train_wait_throughput";
    private static final int COUNT = 2000;
    private static final int TRIALS = 3;
    private static final int WARM_UP_TRIALS = 10;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        for (String retention : Arrays.asList(null, "1d")) {
            try (LocalModelTrainer trainer = BenchTrainers.thread(retention)) {
                for (int t = 0; t < WARM_UP_TRIALS; t++) {
                    trial(trainer);
                }
                double[] rates = new double[TRIALS];
                for (int t = 0; t < TRIALS; t++) {
                    rates[t] = trial(trainer);
                }
                Map<String, Object> line = BenchOutput.line(NAME);
                line.put("mode", "thread");
                line.put("retention_duration", retention);
                line.put("count", COUNT);
                line.put("trials", TRIALS);
                line.put("ops_per_s", Samples.round(Samples.median(rates)));
                run.emit(line);
            }
        }
    }

    private static double trial(LocalModelTrainer trainer) throws InterruptedException {
        long t0 = System.nanoTime();
        for (int i = 0; i < COUNT; i++) {
            Jobs.trainAwait(trainer);
        }
        return COUNT / ((System.nanoTime() - t0) / 1e9);
    }
}
