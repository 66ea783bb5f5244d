package dev.kiln.modules.sgd;

import java.util.function.DoubleUnaryOperator;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.Tensor;

/**
 * AdaGrad as Tribuo's {@code AdaGrad} computes it (the same operations in the same order, so the same numbers), with
 * its accumulated squared gradients readable and restorable, which Tribuo's class keeps private.
 */
final class AdaGradState {
    private final double learningRate;
    private final double epsilon;
    private DenseMatrix squaredGradients;

    AdaGradState(double learningRate, double epsilon, LinearParameters parameters) {
        this.learningRate = learningRate;
        this.epsilon = epsilon;
        this.squaredGradients = (DenseMatrix) parameters.getEmptyCopy()[0];
    }

    /** Turns one example's gradients into the update to add to the parameters. */
    Tensor[] step(Tensor[] updates, double weight) {
        DoubleUnaryOperator square = a -> weight * weight * a * a;
        DoubleUnaryOperator scale = a -> weight * learningRate / (epsilon + Math.sqrt(a));
        squaredGradients.intersectAndAddInPlace(updates[0], square);
        updates[0].hadamardProductInPlace(squaredGradients, scale);
        return updates;
    }

    /** The accumulated squared gradients, one row per output. */
    double[][] accumulators() {
        return squaredGradients.toArray();
    }

    /** Restores accumulators read from a checkpoint. */
    void restore(double[][] values) {
        squaredGradients = DenseMatrix.createDenseMatrix(values);
    }
}
