package dev.kiln.modules.sgd;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Dataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.optimisers.AdaGrad;

/**
 * Tribuo's linear SGD classifier (logistic regression: multiclass log loss, AdaGrad), trained in one run of Tribuo's
 * own loop, with an {@link EpochListener} told about every epoch as it ends.
 */
final class WatchedLabelTrainer extends LinearSGDTrainer {
    private final transient EpochWatch watch;

    WatchedLabelTrainer(int epochs, double learningRate, long seed, EpochWatch watch) {
        super(new LogMulticlass(), new AdaGrad(learningRate, 0.1), epochs, -1, 1, seed);
        this.watch = watch;
    }

    @Override
    protected SGDObjective<Integer> getObjective() {
        return new WatchedObjective<>(super.getObjective(), watch);
    }

    @Override
    protected LinearParameters createParameters(int numFeatures, int numOutputs, SplittableRandom localRNG) {
        LinearParameters parameters = super.createParameters(numFeatures, numOutputs, localRNG);
        watch.attach(parameters);
        return parameters;
    }

    @Override
    public LinearSGDModel train(Dataset<Label> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        LinearSGDModel model = super.train(examples, runProvenance, invocationCount);
        watch.trainingFinished();
        return model;
    }
}
