package dev.kiln.modules;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.Progress;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training context for calling modules directly: records progress, cancels after a chosen epoch, and keeps
 * checkpoints in {@code checkpoints} under its scratch directory, so a second context on the same directory resumes.
 */
public final class RecordingContext implements TrainingContext {
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final long cancelAfterStep;
    private final long requestCheckpointAtStep;
    private final Path scratch;
    private final CheckpointStore checkpoints;
    private final List<Long> saved = new CopyOnWriteArrayList<>();
    private volatile boolean cancelled;
    private volatile boolean checkpointRequested;

    private RecordingContext(long cancelAfterStep, long requestCheckpointAtStep, Path scratch, Path checkpoints) {
        this.cancelAfterStep = cancelAfterStep;
        this.requestCheckpointAtStep = requestCheckpointAtStep;
        this.scratch = scratch;
        this.checkpoints = new CheckpointStore(checkpoints, 2);
    }

    private static Path freshCheckpoints(Path scratch) {
        try {
            return Files.createTempDirectory(scratch, "checkpoints-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A context that is never cancelled, for a training of its own (no checkpoints yet). */
    public static RecordingContext create(Path scratch) {
        return new RecordingContext(Long.MAX_VALUE, Long.MAX_VALUE, scratch, freshCheckpoints(scratch));
    }

    /** A context that is cancelled as soon as progress for {@code step} is reported. */
    public static RecordingContext cancelledAfter(long step, Path scratch) {
        return new RecordingContext(step, Long.MAX_VALUE, scratch, freshCheckpoints(scratch));
    }

    /**
     * A context that asks for a checkpoint (as a scheduler's signal does) when progress for {@code requestStep} is
     * reported, and is cancelled when progress for {@code cancelStep} is.
     */
    public static RecordingContext checkpointRequestedAt(long requestStep, long cancelStep, Path scratch) {
        return new RecordingContext(cancelStep, requestStep, scratch, freshCheckpoints(scratch));
    }

    /** A context for the next attempt of the training {@code earlier} ran: it finds that attempt's checkpoints. */
    public static RecordingContext resuming(RecordingContext earlier) {
        return new RecordingContext(Long.MAX_VALUE, Long.MAX_VALUE, earlier.scratch, earlier.checkpoints.directory());
    }

    @Override
    public String trainingId() {
        return "test-training";
    }

    @Override
    public boolean isCancelled() {
        return cancelled;
    }

    @Override
    public void reportProgress(long step, long total, Map<String, Double> metrics) {
        progress.add(new Progress(step, total, metrics, Instant.now()));
        if (step == requestCheckpointAtStep) {
            checkpointRequested = true;
        }
        if (step >= cancelAfterStep) {
            cancelled = true;
        }
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("dev.kiln.training.test");
    }

    @Override
    public Path scratchDir() {
        return scratch;
    }

    @Override
    public boolean checkpointRequested() {
        return checkpointRequested;
    }

    @Override
    public void saveCheckpoint(long step, byte[] state) {
        checkpointRequested = false;
        checkpoints.save(step, state);
        saved.add(step);
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return checkpoints.latest();
    }

    /** The steps of the checkpoints saved through this context, in order. */
    public List<Long> checkpointsSaved() {
        return List.copyOf(saved);
    }

    /** Every progress report, in order. */
    public List<Progress> progress() {
        return List.copyOf(progress);
    }
}
