package dev.kiln.bench.jmh;

import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.modules.InstantModule;
import dev.kiln.bench.modules.TrivialModel;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Two threads submitting to one trainer at once. {@code trainAwait} is the whole thread-mode round trip from both
 * threads ({@code retention_duration: 1d}); {@code submit} isolates {@code train()} itself with a runner that finishes
 * each job inline, so the score is the cost of submission and its shared structures (id generation, the job map, the
 * finished-jobs queue, the purge) under contention, without thread hand-offs. {@code submit} runs with
 * {@code retention_duration: 0s}, so every call also purges the job before it and the retained set stays small
 * (at half a million submissions a second, keeping them would measure the garbage collector instead).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(2)
public class SubmissionContentionBenchmark {
    private static final TrivialModel MODEL = new TrivialModel(Jobs.INSTANT.descriptor());

    /** A thread-mode trainer, fresh each iteration. */
    @State(Scope.Benchmark)
    public static class ThreadTrainer {
        LocalModelTrainer trainer;

        @Setup(Level.Iteration)
        public void start() {
            trainer = BenchTrainers.thread("1d");
        }

        @TearDown(Level.Iteration)
        public void stop() {
            trainer.close();
        }
    }

    /** A trainer whose runner completes each job on the submitting thread, fresh each iteration. */
    @State(Scope.Benchmark)
    public static class InlineTrainer {
        LocalModelTrainer trainer;

        @Setup(Level.Iteration)
        public void start() {
            trainer = BenchTrainers.threadBuilder("0s")
                    .runner(t -> new InlineRunner())
                    .build();
        }

        @TearDown(Level.Iteration)
        public void stop() {
            trainer.close();
        }
    }

    @Benchmark
    public ModelFuture trainAwait(ThreadTrainer state) throws InterruptedException {
        return Jobs.trainAwait(state.trainer);
    }

    @Benchmark
    public ModelFuture submit(InlineTrainer state) {
        return state.trainer.train(Jobs.INSTANT, InstantModule.PARAMS, TrainOptions.none());
    }

    /** Completes every job the moment it starts, on the caller's thread. */
    private static final class InlineRunner implements JobRunner {
        @Override
        public void start(RunnerJob job) {
            job.succeeded(MODEL, 0, 0);
            job.workerFinished();
        }

        @Override
        public void stop(RunnerJob job) {
            // jobs finish before anyone could stop them
        }

        @Override
        public void close() {
            // nothing to release
        }
    }
}
