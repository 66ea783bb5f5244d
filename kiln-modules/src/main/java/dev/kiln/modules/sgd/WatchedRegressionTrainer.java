package dev.kiln.modules.sgd;

import com.oracle.labs.mlrg.olcut.provenance.Provenance;
import java.util.Map;
import java.util.SplittableRandom;
import org.tribuo.Dataset;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDModel;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Tribuo's linear SGD regressor (squared loss, AdaGrad), trained in one run of Tribuo's own loop, with an
 * {@link EpochListener} told about every epoch as it ends.
 */
final class WatchedRegressionTrainer extends LinearSGDTrainer {
    private final transient EpochWatch watch;

    WatchedRegressionTrainer(int epochs, double learningRate, long seed, EpochWatch watch) {
        super(new SquaredLoss(), new AdaGrad(learningRate, 0.1), epochs, -1, 1, seed);
        this.watch = watch;
    }

    @Override
    protected SGDObjective<DenseVector> getObjective() {
        return new WatchedObjective<>(super.getObjective(), watch);
    }

    @Override
    protected LinearParameters createParameters(int numFeatures, int numOutputs, SplittableRandom localRNG) {
        LinearParameters parameters = super.createParameters(numFeatures, numOutputs, localRNG);
        watch.attach(parameters);
        return parameters;
    }

    @Override
    public LinearSGDModel train(
            Dataset<Regressor> examples, Map<String, Provenance> runProvenance, int invocationCount) {
        LinearSGDModel model = super.train(examples, runProvenance, invocationCount);
        watch.trainingFinished();
        return model;
    }
}
