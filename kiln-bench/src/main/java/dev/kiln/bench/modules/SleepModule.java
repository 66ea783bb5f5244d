package dev.kiln.bench.modules;

import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.TrainingContext;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A module that sleeps in small increments and stops as soon as it is cancelled. When it starts it reports progress
 * step 0 with its process id as the metric {@code pid}, so a caller in any execution mode can tell that training has
 * begun and which process runs it; in this JVM it also records when each training's worker let go. Everything the
 * stop path needs is created before training starts, so a cancel measures Kiln rather than this module's class loading.
 */
@ModuleInfo(id = "46af9a83-2737-4f86-a0a2-7b184c5188c8", name = "BenchSleep", version = "1.0.0", task = "Benchmark")
public final class SleepModule implements ModuleType<SleepModule.Params, TrivialModel> {
    private static final ModuleDescriptor DESCRIPTOR = ModuleDescriptor.of(SleepModule.class);
    private static final Map<String, CompletableFuture<Long>> EXITS = new ConcurrentHashMap<>();

    /**
     * Parameters of {@link SleepModule}.
     *
     * @param seconds how long to sleep in all
     * @param incrementSeconds how long each sleep lasts between cancellation checks
     */
    public record Params(
            @Param(defaultValue = "60", description = "Seconds to sleep in all")
            double seconds,

            @Param(defaultValue = "0.001", description = "Seconds per sleep between cancellation checks")
            double incrementSeconds) {}

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public ModuleDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TrivialModel train(Params p, TrainingContext context) throws InterruptedException {
        CompletableFuture<Long> exit = exit(context.trainingId());
        try {
            context.reportProgress(
                    0, 0, Map.of("pid", (double) ProcessHandle.current().pid()));
            long incrementNanos = Math.max(1, (long) (p.incrementSeconds() * 1e9));
            long deadline = System.nanoTime() + (long) (p.seconds() * 1e9);
            while (System.nanoTime() < deadline) {
                context.throwIfCancelled();
                try {
                    Thread.sleep(incrementNanos / 1_000_000, (int) (incrementNanos % 1_000_000));
                } catch (InterruptedException e) {
                    context.throwIfCancelled();
                    throw e;
                }
            }
            return new TrivialModel(DESCRIPTOR);
        } finally {
            exit.complete(System.nanoTime());
        }
    }

    @Override
    public TrivialModel load(ModelDirectory directory) {
        return new TrivialModel(DESCRIPTOR);
    }

    /**
     * When the training with this id left {@link #train} in this JVM, as {@link System#nanoTime()}; completes once
     * it has.
     */
    public static CompletableFuture<Long> exit(String trainingId) {
        CompletableFuture<Long> created = new CompletableFuture<>();
        CompletableFuture<Long> existing = EXITS.putIfAbsent(trainingId, created);
        return existing != null ? existing : created;
    }

    /** Forgets a training's exit time. */
    public static void forget(String trainingId) {
        EXITS.remove(trainingId);
    }
}
