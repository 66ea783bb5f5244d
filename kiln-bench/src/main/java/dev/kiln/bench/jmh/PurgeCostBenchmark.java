package dev.kiln.bench.jmh;

import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.modules.InstantModule;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Optional;
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
 * What purging costs as the retained set grows. Finished jobs complete one (fake) millisecond apart and are kept for
 * as many milliseconds as there are jobs, so each step of the clock expires exactly one job. One measured batch is
 * 1000 lookups, each after a one-millisecond step, so each purges one job: the score in microseconds per batch is
 * nanoseconds per purged job. Before each iteration 1000 trainings put back what the last one purged, trained with
 * the clock set back over the last thousand milliseconds so they are the youngest jobs and nothing expires while they
 * are added: each batch starts with exactly {@code retained} jobs. caikit scans every retained job on every call;
 * Kiln's figure should not grow with {@code retained}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 10, batchSize = PurgeCostBenchmark.BATCH)
@Measurement(iterations = 20, batchSize = PurgeCostBenchmark.BATCH)
@Fork(value = 1, jvmArgsAppend = "-Xmx3g")
public class PurgeCostBenchmark {
    static final int BATCH = 1000;
    private static final Duration STEP = Duration.ofMillis(1);

    @Param({"1000", "10000", "100000", "1000000"})
    public int retained;

    private SettableClock clock;
    private LocalModelTrainer trainer;

    @Setup(Level.Trial)
    public void fill() throws InterruptedException {
        clock = new SettableClock(Instant.parse("2026-01-01T00:00:00Z"));
        String retention = (retained / 1000) + "." + String.format("%03d", retained % 1000) + "s";
        trainer = BenchTrainers.threadBuilder(retention).clock(clock).build();
        clock.advance(Duration.ofMillis(retained));
        trainAged(BATCH, retained);
    }

    @Setup(Level.Iteration)
    public void refill() throws InterruptedException {
        trainAged(0, BATCH);
    }

    /**
     * Trains one job for each age in milliseconds from {@code youngest} (inclusive) to {@code oldest} (exclusive),
     * oldest first, by setting the clock back to when each should finish; then puts the clock back to now.
     */
    private void trainAged(int youngest, int oldest) throws InterruptedException {
        Instant now = clock.instant();
        ArrayDeque<ModelFuture> inFlight = new ArrayDeque<>();
        for (int age = oldest - 1; age >= youngest; age--) {
            clock.set(now.minus(STEP.multipliedBy(age)));
            inFlight.add(trainer.train(Jobs.INSTANT, InstantModule.PARAMS, TrainOptions.none()));
            if (inFlight.size() == 64) {
                Jobs.expectCompleted(inFlight.poll().await());
            }
        }
        while (!inFlight.isEmpty()) {
            Jobs.expectCompleted(inFlight.poll().await());
        }
        clock.set(now);
    }

    @TearDown(Level.Trial)
    public void stop() {
        trainer.close();
    }

    @Benchmark
    public Optional<ModelFuture> purgeOne() {
        clock.advance(STEP);
        return trainer.find("absent");
    }
}
