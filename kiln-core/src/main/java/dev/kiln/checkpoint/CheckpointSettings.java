package dev.kiln.checkpoint;

import dev.kiln.config.Settings;

/**
 * How a trainer keeps its trainings' checkpoints.
 *
 * @param keep how many of a training's newest checkpoints are kept ({@code checkpoint_keep}, default 2)
 * @param keepAfterEnd whether checkpoints stay once the training ends ({@code keep_checkpoints}, default false)
 */
public record CheckpointSettings(int keep, boolean keepAfterEnd) {
    public CheckpointSettings {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint_keep must be at least 1, got " + keep);
        }
    }

    /** Two checkpoints kept, deleted when the training ends. */
    public static CheckpointSettings defaults() {
        return new CheckpointSettings(2, false);
    }

    /**
     * Reads {@code checkpoint_keep} and {@code keep_checkpoints} from a trainer's {@code config} section.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static CheckpointSettings from(Settings c) {
        return new CheckpointSettings(
                c.integerAtLeast("checkpoint_keep", 1).map(Long::intValue).orElse(2),
                c.bool("keep_checkpoints", false));
    }

    /** The store of the checkpoints in {@code dir}. */
    public CheckpointStore store(java.nio.file.Path dir) {
        return new CheckpointStore(dir, keep);
    }
}
