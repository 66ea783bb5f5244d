package dev.kiln.modules.sgd;

import java.util.Objects;
import org.tribuo.math.LinearParameters;

/**
 * Follows Tribuo's SGD loop from inside one training: the objective is asked once per example, so counting those
 * calls finds the epoch boundaries. When the first example of epoch k+1 is scored, the parameters are exactly those at
 * the end of epoch k; the last epoch ends when Tribuo's training returns.
 */
final class EpochWatch {
    private final long examplesPerEpoch;
    private final EpochListener listener;
    private LinearParameters parameters;
    private long seen;
    private double epochLoss;
    private int epochsDone;

    EpochWatch(long examplesPerEpoch, EpochListener listener) {
        if (examplesPerEpoch <= 0) {
            throw new IllegalArgumentException("examplesPerEpoch must be positive");
        }
        this.examplesPerEpoch = examplesPerEpoch;
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** The parameters Tribuo created for this training. */
    void attach(LinearParameters value) {
        this.parameters = value;
    }

    /** An example is about to be scored; if it starts a new epoch, the previous one has ended. */
    void beforeExample() {
        if (seen > 0 && seen % examplesPerEpoch == 0) {
            endEpoch();
        }
        seen++;
    }

    /** Adds one example's loss to the running epoch. */
    void addLoss(double loss) {
        epochLoss += loss;
    }

    /** Tribuo's loop has returned: the last epoch has ended. */
    void trainingFinished() {
        endEpoch();
    }

    int epochsDone() {
        return epochsDone;
    }

    private void endEpoch() {
        if (parameters == null) {
            throw new IllegalStateException("the trainer never created its parameters");
        }
        epochsDone++;
        double mean = epochLoss / examplesPerEpoch;
        epochLoss = 0;
        listener.epochEnded(epochsDone, mean, parameters);
    }
}
