package dev.kiln.bench.scenario;

import dev.kiln.bench.Samples;
import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.TrainingContext;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A training context for training in the harness's own thread: never cancelled, progress dropped, no checkpoint to
 * resume from, so every training starts from the beginning. Checkpoints go to a store (each write timed) or nowhere.
 */
final class QuietContext implements TrainingContext {
    private final String trainingId;
    private final Class<?> scenario;
    private final CheckpointStore store;
    private final Samples writes;

    private QuietContext(String trainingId, Class<?> scenario, CheckpointStore store, Samples writes) {
        this.trainingId = trainingId;
        this.scenario = scenario;
        this.store = store;
        this.writes = writes;
    }

    /** A context that drops checkpoints, logging as {@code scenario}. */
    static QuietContext of(String trainingId, Class<?> scenario) {
        return new QuietContext(trainingId, scenario, null, null);
    }

    /** A context that writes checkpoints to {@code store}, adding the time of each write to {@code writes}. */
    static QuietContext checkpointingTo(String trainingId, Class<?> scenario, CheckpointStore store, Samples writes) {
        return new QuietContext(trainingId, scenario, store, writes);
    }

    @Override
    public String trainingId() {
        return trainingId;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public void reportProgress(long step, long total, Map<String, Double> metrics) {}

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger(scenario);
    }

    @Override
    public Path scratchDir() {
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public void saveCheckpoint(long step, byte[] state) {
        if (store != null) {
            long t0 = System.nanoTime();
            store.save(step, state);
            writes.add(System.nanoTime() - t0);
        }
    }

    @Override
    public Optional<Checkpoint> latestCheckpoint() {
        return Optional.empty();
    }
}
