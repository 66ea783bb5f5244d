package dev.kiln.local.child;

import java.io.IOException;

/** {@code spawn}: a fresh JVM for every job. */
final class SpawnSource implements WorkerSource {
    private final WorkerStarter starter;

    SpawnSource(WorkerStarter starter) {
        this.starter = starter;
    }

    @Override
    public ChildProcess acquire() throws IOException {
        return starter.start(false);
    }

    @Override
    public void close() {
        // no idle workers
    }
}
