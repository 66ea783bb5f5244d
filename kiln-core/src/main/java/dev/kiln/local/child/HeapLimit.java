package dev.kiln.local.child;

import java.util.List;

/** Names a child JVM's heap limit, as its options set it, for out-of-memory messages. */
final class HeapLimit {
    private HeapLimit() {}

    /** Such as {@code "-Xmx64m"}, or a sentence about the JVM's default when no option sets the limit. */
    static String describe(List<String> jvmOptions) {
        String found = null;
        for (String option : jvmOptions) {
            if (option.startsWith("-Xmx")
                    || option.startsWith("-XX:MaxHeapSize=")
                    || option.startsWith("-XX:MaxRAMPercentage=")
                    || option.startsWith("-XX:MaxRAM=")) {
                found = option;
            }
        }
        if (found != null) {
            return "the heap limit " + found + " from jvm_options";
        }
        return "the JVM's default heap limit (a quarter of the machine's memory, about "
                + (Runtime.getRuntime().maxMemory() >> 20) + " MiB if it is like this JVM's; set -Xmx in jvm_options)";
    }
}
