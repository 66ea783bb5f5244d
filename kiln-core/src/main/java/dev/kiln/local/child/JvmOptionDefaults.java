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
 */
final class JvmOptionDefaults {
    /** The defaults, in order. */
    static final List<String> DEFAULTS = List.of(
            "-XX:+ExitOnOutOfMemoryError",
            "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC",
            "-Xshare:auto",
            "-XX:-UsePerfData");

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

    /** The defaults not overridden by {@code configured}, followed by {@code configured}. */
    static List<String> merge(List<String> configured) {
        List<String> merged = new ArrayList<>();
        for (String option : DEFAULTS) {
            String name = name(option);
            if (configured.stream().noneMatch(c -> name.equals(name(c)))) {
                merged.add(option);
            }
        }
        merged.addAll(configured);
        return merged;
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
