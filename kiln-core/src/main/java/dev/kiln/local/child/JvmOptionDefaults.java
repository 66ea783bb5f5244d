package dev.kiln.local.child;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The options every child JVM starts with, for fast start-up and a clean out-of-memory exit, merged with the
 * configured {@code jvm_options}: a configured option replaces the default of the same name, and choosing any
 * garbage collector replaces the default one. A long, CPU-heavy training may want the full JIT back:
 * {@code -XX:TieredStopAtLevel=4}.
 *
 * <p>On a machine with one or two processors a worker started for its job ({@code spawn}) also gets a single JIT
 * compiler thread ({@code -XX:CICompilerCount=1}, what JDK 25 chooses there for a C1-only JIT; JDK 17 starts two):
 * such a worker keeps both processors busy with its own threads as it starts, and a second compiler thread took them
 * from it (spawn to result 11 and 16 ms shorter by the paired medians of two sets of thirty alternated starts on two
 * cores). A pre-started ({@code forkserver}) worker compiles while it waits, and its jobs were not faster with one
 * thread (6.9 against 5.7 ms, five alternated runs of the bench), so it keeps the JDK's choice. The option is left out
 * when the options choose the JIT's levels or its threads: the full tiered JIT refuses fewer than two.
 */
final class JvmOptionDefaults {
    /** The defaults, in order. */
    static final List<String> DEFAULTS = List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:-UsePerfData");

    /** The JIT compiler threads of a spawned worker on a machine with at most {@link #FEW_PROCESSORS}. */
    static final String ONE_COMPILER_THREAD = "-XX:CICompilerCount=1";

    /** The most processors a machine has where a spawned worker gets {@link #ONE_COMPILER_THREAD}. */
    static final int FEW_PROCESSORS = 2;

    private static final Pattern XX = Pattern.compile("-XX:[+-]?([A-Za-z0-9_]+)(=.*)?");
    private static final Set<String> COLLECTORS = Set.of(
            "UseSerialGC",
            "UseParallelGC",
            "UseG1GC",
            "UseZGC",
            "UseShenandoahGC",
            "UseEpsilonGC",
            "UseConcMarkSweepGC",
            "UseParallelOldGC");

    private JvmOptionDefaults() {}

    /** The defaults not overridden by {@code configured}, followed by {@code configured}, on this machine. */
    static List<String> merge(List<String> configured, StartMethod startMethod) {
        return merge(configured, startMethod, Runtime.getRuntime().availableProcessors());
    }

    /** The defaults not overridden by {@code configured}, followed by {@code configured}. */
    static List<String> merge(List<String> configured, StartMethod startMethod, int processors) {
        List<String> merged = new ArrayList<>();
        for (String option : DEFAULTS) {
            if (!overridden(option, configured)) {
                merged.add(option);
            }
        }
        if (startMethod == StartMethod.SPAWN
                && processors <= FEW_PROCESSORS
                && !overridden(ONE_COMPILER_THREAD, configured)
                && !overridden("-XX:TieredStopAtLevel=1", configured)) {
            merged.add(ONE_COMPILER_THREAD);
        }
        merged.addAll(configured);
        return merged;
    }

    private static boolean overridden(String option, List<String> configured) {
        String name = name(option);
        return configured.stream().anyMatch(c -> name.equals(name(c)));
    }

    /** The name two options share when one overrides the other. */
    private static String name(String option) {
        Matcher xx = XX.matcher(option);
        if (xx.matches()) {
            return COLLECTORS.contains(xx.group(1)) ? "gc" : xx.group(1);
        }
        if (option.startsWith("-Xshare:")) {
            return "-Xshare";
        }
        return option;
    }
}
