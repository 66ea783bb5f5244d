package dev.kiln.server.jobs;

import dev.kiln.manager.ModelManager;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The configured trainers whose jobs outlive the server process ({@link ModelTrainer#jobsOutliveProcess()}), such as
 * SLURM's: the server neither waits for nor interrupts their trainings, and finds them again when it restarts.
 */
final class OutlivingTrainers {
    private final Map<String, ModelTrainer> byName;

    private OutlivingTrainers(Map<String, ModelTrainer> byName) {
        this.byName = byName;
    }

    /** The manager's trainers whose jobs outlive the process. */
    static OutlivingTrainers of(ModelManager manager) {
        Map<String, ModelTrainer> found = new LinkedHashMap<>();
        for (ModelTrainer t : manager.trainers()) {
            if (t.jobsOutliveProcess()) {
                found.put(t.name(), t);
            }
        }
        return new OutlivingTrainers(Map.copyOf(found));
    }

    /** Their names. */
    Set<String> names() {
        return byName.keySet();
    }

    /** The trainer with this name, if its jobs outlive the process. */
    Optional<ModelTrainer> get(String trainerName) {
        return Optional.ofNullable(byName.get(trainerName));
    }

    /** Whether this training runs on one of them. */
    boolean runs(ModelFuture training) {
        return byName.containsKey(training.trainerName());
    }
}
