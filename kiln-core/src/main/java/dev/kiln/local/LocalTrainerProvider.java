package dev.kiln.local;

import dev.kiln.config.TrainerConfig;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainerProvider;

/** Makes {@code LOCAL} trainers from configuration. */
public final class LocalTrainerProvider implements TrainerProvider {
    @Override
    public String type() {
        return LocalModelTrainer.TYPE;
    }

    @Override
    public ModelTrainer create(TrainerConfig config) {
        return LocalModelTrainer.builder()
                .name(config.name())
                .settings(LocalTrainerSettings.from(config.config()))
                .build();
    }
}
