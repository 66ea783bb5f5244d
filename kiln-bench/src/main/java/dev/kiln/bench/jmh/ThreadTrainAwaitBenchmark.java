package dev.kiln.bench.jmh;

import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
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
 * One thread-mode train→await round trip of a module that returns at once, with retention off and at caikit's
 * default of one day; a fresh trainer each iteration keeps the retained set bounded.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ThreadTrainAwaitBenchmark {
    /** {@code retention_duration}; {@code none} keeps jobs forever. */
    @Param({"none", "1d"})
    public String retention;

    private LocalModelTrainer trainer;

    @Setup(Level.Iteration)
    public void start() {
        trainer = BenchTrainers.thread(retention.equals("none") ? null : retention);
    }

    @TearDown(Level.Iteration)
    public void stop() {
        trainer.close();
    }

    @Benchmark
    public ModelFuture trainAwait() throws InterruptedException {
        return Jobs.trainAwait(trainer);
    }
}
