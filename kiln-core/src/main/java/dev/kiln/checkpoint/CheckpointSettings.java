package dev.kiln.checkpoint;

import dev.kiln.config.Settings;

/**
 * How a trainer keeps its trainings' checkpoints.
 *
 * @param keep how many of a training's newest checkpoints are kept ({@code checkpoint_keep}, default 2)
 * @param keepAfterEnd whether checkpoints stay once the training ends ({@code keep_checkpoints}, default false)
 * @param resumeInterrupted whether trainings the trainer's process did not finish (it died) are submitted again when
 *     a server starts, resuming from their checkpoints ({@code resume_interrupted}, default true)
 */
public record CheckpointSettings(int keep, boolean keepAfterEnd, boolean resumeInterrupted) {
    public CheckpointSettings {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint_keep must be at least 1, got " + keep);
        }
    }

    /** Keeps the newest {@code keep}, deleted at the end unless {@code keepAfterEnd}; interrupted ones resume. */
    public CheckpointSettings(int keep, boolean keepAfterEnd) {
        this(keep, keepAfterEnd, true);
    }

    /** Two checkpoints kept, deleted when the training ends; interrupted trainings resume. */
    public static CheckpointSettings defaults() {
        return new CheckpointSettings(2, false, true);
    }

    /**
     * Reads {@code checkpoint_keep}, {@code keep_checkpoints} and {@code resume_interrupted} from a trainer's {@code config} section.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static CheckpointSettings from(Settings c) {
        return new CheckpointSettings(
                c.integerAtLeast("checkpoint_keep", 1).map(Long::intValue).orElse(2),
                c.bool("keep_checkpoints", false),
                c.bool("resume_interrupted", true));
    }

    /** The store of the checkpoints in {@code dir}. */
    public CheckpointStore store(java.nio.file.Path dir) {
        return new CheckpointStore(dir, keep);
    }
}
