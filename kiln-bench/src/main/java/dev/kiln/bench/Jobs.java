package dev.kiln.bench;

import dev.kiln.bench.modules.InstantModule;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.util.ArrayDeque;
import java.util.function.Consumer;

/** The training calls the scenarios time: the instant module, trained and awaited. */
public final class Jobs {
    /** The module every thread-mode figure trains. */
    public static final InstantModule INSTANT = new InstantModule();

    private static final int FILL_WINDOW = 64;

    private Jobs() {}

    /** Trains the instant module and waits for it; the round trip every thread-mode figure is made of. */
    public static ModelFuture trainAwait(LocalModelTrainer trainer) throws InterruptedException {
        ModelFuture future = trainer.train(INSTANT, InstantModule.PARAMS, TrainOptions.none());
        expectCompleted(future.await());
        return future;
    }

    /**
     * Trains the instant module {@code count} times with up to 64 trainings in flight, so a million retained jobs
     * take seconds rather than a minute; each finished future is handed to {@code retained}.
     */
    public static void fill(LocalModelTrainer trainer, int count, Consumer<ModelFuture> retained)
            throws InterruptedException {
        ArrayDeque<ModelFuture> inFlight = new ArrayDeque<>(FILL_WINDOW);
        for (int i = 0; i < count; i++) {
            if (inFlight.size() == FILL_WINDOW) {
                settle(inFlight.pollFirst(), retained);
            }
            inFlight.addLast(trainer.train(INSTANT, InstantModule.PARAMS, TrainOptions.none()));
        }
        while (!inFlight.isEmpty()) {
            settle(inFlight.pollFirst(), retained);
        }
    }

    private static void settle(ModelFuture future, Consumer<ModelFuture> retained) throws InterruptedException {
        expectCompleted(future.await());
        retained.accept(future);
    }

    /**
     * Checks a training completed.
     *
     * @throws IllegalStateException naming the training and how it ended otherwise
     */
    public static void expectCompleted(JobInfo info) {
        if (info.status() != JobStatus.COMPLETED) {
            throw new IllegalStateException("Benchmark training " + info.id() + " ended " + info.status()
                    + (info.errors().isEmpty() ? "" : ": " + info.errors()));
        }
    }

    /**
     * Collects garbage at least three times and until the heap in use stops shrinking (at most ten), and returns the
     * bytes still in use: what is reachable, give or take the collector's rounding.
     */
    public static long settleHeap() throws InterruptedException {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            Thread.sleep(20);
            long used = usedHeap();
            if (i >= 3 && used >= least) {
                break;
            }
            least = Math.min(least, used);
        }
        return least;
    }

    private static long usedHeap() {
        return java.lang.management.ManagementFactory.getMemoryMXBean()
                .getHeapMemoryUsage()
                .getUsed();
    }
}
