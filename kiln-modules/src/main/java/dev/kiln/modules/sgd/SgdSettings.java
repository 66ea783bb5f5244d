package dev.kiln.modules.sgd;

/**
 * How a linear SGD model is trained.
 *
 * @param epochs passes over the training examples
 * @param learningRate AdaGrad's initial learning rate
 * @param seed the seed for the shuffling, so the same data and seed give the same model
 * @param checkpointEvery how many epochs pass between checkpoints (the last epoch is always checkpointed)
 */
public record SgdSettings(int epochs, double learningRate, long seed, int checkpointEvery) {
    public SgdSettings {
        if (checkpointEvery < 1) {
            throw new IllegalArgumentException("checkpointEvery must be at least 1, got " + checkpointEvery);
        }
    }

    /** Settings that checkpoint after every epoch. */
    public SgdSettings(int epochs, double learningRate, long seed) {
        this(epochs, learningRate, seed, 1);
    }
}
