package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.local.LocalModelTrainer;
import java.util.Map;

/** {@code a_thread_train_wait_latency}: one train→await round trip in thread mode, retention off, 200 after 20. */
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
        try (LocalModelTrainer trainer = BenchTrainers.thread(null)) {
            for (int i = 0; i < WARM_UP; i++) {
                Jobs.trainAwait(trainer);
            }
            Samples samples = new Samples(N);
            for (int i = 0; i < N; i++) {
                long t0 = System.nanoTime();
                Jobs.trainAwait(trainer);
                samples.add(System.nanoTime() - t0);
            }
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "thread");
            line.put("retention_duration", null);
            line.put("n", N);
            line.put("median_ms", Samples.round(samples.medianMs()));
            line.put("p90_ms", Samples.round(samples.percentileMs(90)));
            line.put("p99_ms", Samples.round(samples.percentileMs(99)));
            run.emit(line);
        }
    }
}
