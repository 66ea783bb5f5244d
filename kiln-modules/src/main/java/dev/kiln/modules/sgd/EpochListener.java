package dev.kiln.modules.sgd;

import java.util.Map;
import org.tribuo.math.LinearParameters;

/** Measures the model after each epoch; its metrics become the epoch's progress report. */
@FunctionalInterface
public interface EpochListener {
    /**
     * Called once an epoch has ended, before the next one changes the parameters.
     *
     * @param epoch the epoch just finished, counting from 1
     * @param trainingLoss the mean loss over the epoch's examples, as the objective computed it during the epoch
     * @param parameters the live model parameters at the end of the epoch; read them, never change them
     * @return the epoch's metrics, in the order they should be shown
     */
    Map<String, Double> epochEnded(int epoch, double trainingLoss, LinearParameters parameters);
}
