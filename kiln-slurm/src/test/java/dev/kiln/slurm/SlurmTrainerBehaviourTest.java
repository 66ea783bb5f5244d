package dev.kiln.slurm;

import dev.kiln.testing.TrainerBehaviourSuite;
import dev.kiln.trainer.ModelTrainer;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** The behaviour every trainer shows, with each training a batch job on a real Slurm. */
class SlurmTrainerBehaviourTest extends TrainerBehaviourSuite {
    private final List<SlurmModelTrainer> made = new ArrayList<>();

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @Override
    protected ModelTrainer newTrainer(Map<String, Object> config, Clock clock) {
        SlurmModelTrainer trainer = SlurmCluster.trainer(tmp.resolve("work"), config, clock);
        made.add(trainer);
        return trainer;
    }

    @AfterEach
    void letTheJobsEnd() {
        SlurmCluster.drain(made);
    }
}
