package dev.kiln.bench.calls;

import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.local.LocalModelTrainer;

/**
 * The JVM {@link ColdCalls} counts in: a thread-mode trainer whose pool never runs a task, so that every caller runs
 * its own job, as the caller of a train→await loop does; {@value #WARM_UP} round trips, then the counted one between
 * {@link #begin()} and {@link #end()}.
 */
public final class ColdCallsTarget {
    static final int WARM_UP = 50;

    private ColdCallsTarget() {}

    /** Where the counting starts: the debugger's breakpoint. */
    static void begin() {}

    /** Where the counting ends. */
    static void end() {}

    public static void main(String[] args) throws Exception {
        try (LocalModelTrainer trainer =
                BenchTrainers.threadBuilder(null).executor(task -> {}).build()) {
            for (int i = 0; i < WARM_UP; i++) {
                Jobs.trainAwait(trainer);
            }
            begin();
            Jobs.trainAwait(trainer);
            end();
        }
    }
}
