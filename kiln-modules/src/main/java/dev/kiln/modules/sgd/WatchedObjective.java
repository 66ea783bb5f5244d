package dev.kiln.modules.sgd;

import com.oracle.labs.mlrg.olcut.provenance.ConfiguredObjectProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.la.SGDVector;

/** Tribuo's objective, unchanged, with each call counted and each loss summed by an {@link EpochWatch}. */
final class WatchedObjective<U> implements SGDObjective<U> {
    private final SGDObjective<U> delegate;
    private final EpochWatch watch;

    WatchedObjective(SGDObjective<U> delegate, EpochWatch watch) {
        this.delegate = delegate;
        this.watch = watch;
    }

    @Override
    public Pair<Double, SGDVector> lossAndGradient(U truth, SGDVector prediction) {
        watch.beforeExample();
        Pair<Double, SGDVector> result = delegate.lossAndGradient(truth, prediction);
        watch.addLoss(result.getA());
        return result;
    }

    @Override
    public ConfiguredObjectProvenance getProvenance() {
        return delegate.getProvenance();
    }
}
