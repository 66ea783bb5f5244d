package dev.kiln.modules.sgd;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseVector;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.ModelProvenance;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.linear.LinearSGDTrainer;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/** Tribuo's linear SGD regressor (squared loss, AdaGrad) as an {@link SgdProblem}. */
final class RegressionSgd extends LinearSGDTrainer implements SgdProblem<Regressor, DenseVector> {
    RegressionSgd(SgdSettings settings) {
        super(
                new SquaredLoss(),
                new AdaGrad(settings.learningRate(), SgdLoop.EPSILON),
                settings.epochs(),
                -1,
                1,
                settings.seed());
    }

    @Override
    public DenseVector target(ImmutableOutputInfo<Regressor> outputs, Regressor output) {
        return getTarget(outputs, output);
    }

    @Override
    public DenseVector[] targets(int size) {
        return new DenseVector[size];
    }

    @Override
    public SGDObjective<DenseVector> objective() {
        return getObjective();
    }

    @Override
    public Model<Regressor> model(ImmutableDataset<Regressor> dataset, LinearParameters parameters) {
        ModelProvenance provenance = new ModelProvenance(
                getModelClassName(), OffsetDateTime.now(ZoneOffset.UTC), dataset.getProvenance(), getProvenance());
        return createModel(getName(), provenance, dataset.getFeatureIDMap(), dataset.getOutputIDInfo(), parameters);
    }
}
