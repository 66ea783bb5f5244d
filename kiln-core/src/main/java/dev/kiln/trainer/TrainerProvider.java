package dev.kiln.trainer;

import dev.kiln.config.TrainerConfig;

/**
 * Makes trainers of one type; listed for {@link java.util.ServiceLoader} under
 * {@code META-INF/services/dev.kiln.trainer.TrainerProvider}.
 */
public interface TrainerProvider {
    /** The type name it answers to, such as {@code LOCAL}. */
    String type();

    /**
     * Creates a trainer instance.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming a bad config key and value
     */
    ModelTrainer create(TrainerConfig config);
}
