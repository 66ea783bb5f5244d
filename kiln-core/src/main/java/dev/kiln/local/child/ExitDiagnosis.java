package dev.kiln.local.child;

import dev.kiln.job.JobError;
import java.util.List;

/**
 * Explains why a worker ended without a final message: it broke the protocol before its job began, it ran out of
 * heap (the JVM says so before {@code -XX:+ExitOnOutOfMemoryError} ends it), it was killed with SIGKILL (exit code
 * 137; the kernel's out-of-memory killer is one possible cause, an operator or a container runtime are others, so
 * it is reported as the process dying rather than as running out of memory), or it died with some other exit code. The end of its output
 * goes with the error as its stack text.
 */
final class ExitDiagnosis {
    private static final int SIGKILL_EXIT = 128 + 9;

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
        return new JobError(
                JobError.Kind.PROCESS_DIED,
                JobError.Kind.PROCESS_DIED.name(),
                "Training process died with exit code " + exitCode,
                output);
    }
}
