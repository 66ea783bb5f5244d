package dev.kiln.local;

import dev.kiln.local.child.ChildJvmRunner;

/** Chooses the runner for a trainer's settings. */
final class JobRunners {
    private JobRunners() {}

    /** The child-JVM runner for {@code use_subprocess: true}. */
    static JobRunner childJvm(LocalModelTrainer trainer) {
        return new ChildJvmRunner(trainer);
    }
}
