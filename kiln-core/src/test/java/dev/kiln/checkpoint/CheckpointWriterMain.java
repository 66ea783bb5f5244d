package dev.kiln.checkpoint;

import java.nio.file.Path;
import java.util.Arrays;

/**
 * A process that saves large checkpoints in a loop until it is killed; each checkpoint's bytes all equal its step, so
 * a reader can tell a whole one from a torn one.
 */
public final class CheckpointWriterMain {
    private CheckpointWriterMain() {}

    public static void main(String[] args) {
        CheckpointStore store = new CheckpointStore(Path.of(args[0]), 2);
        int size = Integer.parseInt(args[1]);
        for (long step = 1; ; step++) {
            byte[] state = new byte[size];
            Arrays.fill(state, (byte) step);
            store.save(step, state);
        }
    }
}
