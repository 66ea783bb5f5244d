package dev.kiln.modules;

import dev.kiln.job.Progress;
import dev.kiln.module.TrainingContext;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A training context for calling modules directly: records progress and cancels after a chosen epoch. */
public final class RecordingContext implements TrainingContext {
    private final List<Progress> progress = new CopyOnWriteArrayList<>();
    private final long cancelAfterStep;
    private final Path scratch;
    private volatile boolean cancelled;

    private RecordingContext(long cancelAfterStep, Path scratch) {
        this.cancelAfterStep = cancelAfterStep;
        this.scratch = scratch;
    }

    /** A context that is never cancelled. */
    public static RecordingContext create(Path scratch) {
        return new RecordingContext(Long.MAX_VALUE, scratch);
    }

    /** A context that is cancelled as soon as progress for {@code step} is reported. */
    public static RecordingContext cancelledAfter(long step, Path scratch) {
        return new RecordingContext(step, scratch);
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

    /** Every progress report, in order. */
    public List<Progress> progress() {
        return List.copyOf(progress);
    }
}
