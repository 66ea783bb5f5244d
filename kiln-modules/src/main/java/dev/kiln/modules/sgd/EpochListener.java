package dev.kiln.modules.sgd;

import org.tribuo.math.LinearParameters;

/** Hears about each finished epoch while Tribuo's SGD loop runs; throwing from it stops the training. */
@FunctionalInterface
public interface EpochListener {
    /**
     * Called once an epoch has ended, before the next one changes the parameters.
     *
     * @param epoch the epoch just finished, counting from 1
     * @param trainingLoss the mean loss over the epoch's examples, as the objective computed it during the epoch
     * @param parameters the live model parameters at the end of the epoch; read them, never change them
     */
    void epochEnded(int epoch, double trainingLoss, LinearParameters parameters);
}
