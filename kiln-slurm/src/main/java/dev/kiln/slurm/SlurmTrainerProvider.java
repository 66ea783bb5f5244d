package dev.kiln.slurm;

import dev.kiln.config.TrainerConfig;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainerProvider;

/** Makes {@code SLURM} trainers from configuration. */
public final class SlurmTrainerProvider implements TrainerProvider {
    @Override
    public String type() {
        return SlurmModelTrainer.TYPE;
    }

    @Override
    public ModelTrainer create(TrainerConfig config) {
        return SlurmModelTrainer.builder()
                .name(config.name())
                .settings(SlurmTrainerSettings.from(config.config()))
                .build();
    }
}
