package dev.kiln.local.child;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** The trainer settings child JVMs are started and cleaned up by; the LOCAL trainer's settings provide them. */
public interface ChildJvmSettings {
    /** Whether purging a job deletes the model directory it created. */
    boolean deleteResultsOnPurge();

    /** How child JVMs are started. */
    StartMethod startMethod();

    /** Where child-JVM jobs keep their spec, output and events. */
    Path workDir();

    /** Extra options for child JVMs, such as {@code -Xmx2g}. */
    List<String> jvmOptions();

    /** The child JVMs' class path, or null for this JVM's. */
    String classpath();

    /** How many idle JVMs {@code forkserver} keeps started. */
    int warmPoolSize();

    /** When {@code forkserver} starts replacements for the idle JVMs jobs take. */
    WarmPoolRefill warmPoolRefill();

    /** The {@code java} executable child JVMs run, or null for this JVM's. */
    String java();

    /** How long a cancelled child JVM has to stop after SIGTERM before it is killed; zero kills it at once. */
    Duration cancelGracePeriod();

    /** The most output kept per child job. */
    long logCaptureBytes();

    /** Variables set for child JVMs on top of this JVM's environment. */
    Map<String, String> environment();
}
