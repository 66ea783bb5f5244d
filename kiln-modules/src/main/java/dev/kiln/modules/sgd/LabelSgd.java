package dev.kiln.modules.sgd;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.ModelProvenance;

/** Tribuo's linear SGD classifier (logistic regression: multiclass log loss, AdaGrad) as an {@link SgdProblem}. */
final class LabelSgd extends LinearSGDTrainer implements SgdProblem<Label, Integer> {
    LabelSgd(SgdSettings settings) {
        super(
                new LogMulticlass(),
                new AdaGrad(settings.learningRate(), SgdLoop.EPSILON),
                settings.epochs(),
                -1,
                1,
                settings.seed());
    }

    @Override
    public Integer target(ImmutableOutputInfo<Label> outputs, Label output) {
        return getTarget(outputs, output);
    }

    @Override
    public Integer[] targets(int size) {
        return new Integer[size];
    }

    @Override
    public SGDObjective<Integer> objective() {
        return getObjective();
    }

    @Override
    public Model<Label> model(ImmutableDataset<Label> dataset, LinearParameters parameters) {
        ModelProvenance provenance = new ModelProvenance(
                getModelClassName(), OffsetDateTime.now(ZoneOffset.UTC), dataset.getProvenance(), getProvenance());
        return createModel(getName(), provenance, dataset.getFeatureIDMap(), dataset.getOutputIDInfo(), parameters);
    }
}
