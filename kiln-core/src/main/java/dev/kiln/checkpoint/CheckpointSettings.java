package dev.kiln.checkpoint;

import dev.kiln.config.Settings;
import java.time.Duration;
import java.util.Objects;

/**
 * How a trainer keeps its trainings' checkpoints.
 *
 * @param keep how many of a training's newest checkpoints are kept ({@code checkpoint_keep}, default 2)
 * @param keepAfterEnd whether checkpoints stay once the training ends ({@code keep_checkpoints}, default false)
 * @param resumeInterrupted whether trainings the trainer's process did not finish (it died, or stopped gracefully)
 *     are submitted again when a server starts, resuming from their checkpoints ({@code resume_interrupted}, default
 *     true)
 * @param checkpointGrace how long a running training that checkpoints is given to save one more when its process
 *     stops gracefully with {@code resume_interrupted}, before it is stopped ({@code checkpoint_grace}, default 60 s;
 *     0 stops it without asking)
 */
public record CheckpointSettings(int keep, boolean keepAfterEnd, boolean resumeInterrupted, Duration checkpointGrace) {
    /** The default {@code checkpoint_grace}. */
    public static final Duration DEFAULT_CHECKPOINT_GRACE = Duration.ofSeconds(60);

    public CheckpointSettings {
        if (keep < 1) {
            throw new IllegalArgumentException("checkpoint_keep must be at least 1, got " + keep);
        }
        Objects.requireNonNull(checkpointGrace, "checkpointGrace");
        if (checkpointGrace.isNegative()) {
            throw new IllegalArgumentException("checkpoint_grace must not be negative, got " + checkpointGrace);
        }
    }

    /** As the canonical constructor, with the default {@code checkpoint_grace}. */
    public CheckpointSettings(int keep, boolean keepAfterEnd, boolean resumeInterrupted) {
        this(keep, keepAfterEnd, resumeInterrupted, DEFAULT_CHECKPOINT_GRACE);
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
     * Reads {@code checkpoint_keep}, {@code keep_checkpoints}, {@code resume_interrupted} and {@code checkpoint_grace}
     * from a trainer's {@code config} section.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key and value at fault
     */
    public static CheckpointSettings from(Settings c) {
        Duration grace = c.duration("checkpoint_grace").orElse(DEFAULT_CHECKPOINT_GRACE);
        if (grace.isNegative()) {
            throw c.invalid("checkpoint_grace", c.json().get("checkpoint_grace"), "expected a duration of 0 or more");
        }
        return new CheckpointSettings(
                c.integerAtLeast("checkpoint_keep", 1).map(Long::intValue).orElse(2),
                c.bool("keep_checkpoints", false),
                c.bool("resume_interrupted", true),
                grace);
    }

    /** The store of the checkpoints in {@code dir}. */
    public CheckpointStore store(java.nio.file.Path dir) {
        return new CheckpointStore(dir, keep);
    }
}
