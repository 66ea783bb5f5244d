package dev.kiln.local.child;

import dev.kiln.job.JobError;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Explains why a worker ended without a final message: it broke the protocol before its job began, it ran out of
 * heap (the JVM says so before {@code -XX:+ExitOnOutOfMemoryError} ends it), it was killed with SIGKILL (exit code
 * 137; the kernel's out-of-memory killer is one possible cause, an operator or a container runtime are others, so
 * it is reported as the process dying rather than as running out of memory), its JVM refused its options before the
 * worker said {@code ready} (the message quotes the JVM and the options), or it died with some other exit code.
 * The end of its output goes with the error as its stack text.
 */
final class ExitDiagnosis {
    private static final int SIGKILL_EXIT = 128 + 9;
    /** What the {@code java} launcher prints when the JVM refuses its options. */
    private static final String NO_JVM = "Could not create the Java Virtual Machine";

    private ExitDiagnosis() {}

    static JobError of(ChildProcess child, int exitCode, List<String> jvmOptions) {
        String output = OutputTail.of(child.log().read());
        if (child.broken() != null) {
            return new JobError(
                    JobError.Kind.PROTOCOL,
                    JobError.Kind.PROTOCOL.name(),
                    "Training process " + child.pid() + " broke the worker protocol: it sent " + child.broken(),
                    output);
        }
        if (child.log().sawOutOfMemory()) {
            return new JobError(
                    JobError.Kind.OUT_OF_MEMORY,
                    OutOfMemoryError.class.getName(),
                    "Training process ran out of memory: " + HeapLimit.describe(jvmOptions) + " was not enough",
                    output);
        }
        if (exitCode == SIGKILL_EXIT) {
            return new JobError(
                    JobError.Kind.PROCESS_DIED,
                    "SIGKILL",
                    "Training process was killed by signal 9 (SIGKILL; the kernel's OOM killer is one possible cause);"
                            + " it ran with " + HeapLimit.describe(jvmOptions),
                    output);
        }
        String refused = child.isReady() ? null : refusedOptions(output);
        if (refused != null) {
            return new JobError(
                    JobError.Kind.PROCESS_DIED,
                    JobError.JVM_REFUSED_OPTIONS,
                    "Training process died with exit code " + exitCode + ": its JVM did not start with the options "
                            + jvmOptions + " (Kiln's defaults, then jvm_options): " + refused,
                    output);
        }
        return new JobError(
                JobError.Kind.PROCESS_DIED,
                JobError.Kind.PROCESS_DIED.name(),
                "Training process died with exit code " + exitCode,
                output);
    }

    /**
     * For a worker that never said {@code ready}: what its JVM said before the launcher's "Could not create the Java
     * Virtual Machine" ("Unrecognized VM option 'X'"), or null when the output has no such line.
     */
    private static String refusedOptions(String output) {
        int end = output.indexOf(NO_JVM);
        if (end < 0) {
            return null;
        }
        String said = output.substring(0, end)
                .lines()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.equals("Error:"))
                .collect(Collectors.joining("; "));
        return said.isEmpty() ? NO_JVM : said;
    }
}
