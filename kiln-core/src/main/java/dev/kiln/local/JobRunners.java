package dev.kiln.local;

import dev.kiln.error.KilnException;

/** Chooses the runner for a trainer's settings. */
final class JobRunners {
    private JobRunners() {
    }

    /** The child-JVM runner for {@code use_subprocess: true}. */
    static JobRunner childJvm(LocalModelTrainer trainer) {
        throw KilnException.failedPrecondition("use_subprocess: true is not supported by this build of Kiln");
    }
}
