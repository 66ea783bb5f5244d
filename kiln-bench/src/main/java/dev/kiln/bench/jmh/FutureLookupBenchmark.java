package dev.kiln.bench.jmh;

import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code getModelFuture(id)} with many finished jobs retained ({@code retention_duration: 1d}), looking up ids spread
 * over the whole retained set in a shuffled order so the caches do not flatter it.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class FutureLookupBenchmark {
    private static final int IDS = 1 << 14;

    @Param({"10000", "1000000"})
    public int retained;

    private LocalModelTrainer trainer;
    private String[] ids;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws InterruptedException {
        trainer = BenchTrainers.thread("1d");
        List<String> sample = new ArrayList<>(IDS);
        int every = Math.max(1, retained / IDS);
        int[] seen = {0};
        Jobs.fill(trainer, retained, future -> {
            if (seen[0]++ % every == 0 && sample.size() < IDS) {
                sample.add(future.id());
            }
        });
        int distinct = sample.size();
        while (sample.size() < IDS) {
            sample.add(sample.get(sample.size() % distinct));
        }
        Collections.shuffle(sample, new Random(42));
        ids = sample.toArray(String[]::new);
    }

    @TearDown(Level.Trial)
    public void stop() {
        trainer.close();
    }

    @Benchmark
    public ModelFuture getModelFuture() {
        return trainer.getModelFuture(ids[next++ & (IDS - 1)]);
    }
}
