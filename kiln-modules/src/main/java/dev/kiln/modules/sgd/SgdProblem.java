package dev.kiln.modules.sgd;

import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;

/**
 * What {@link SgdLoop} needs from one of Tribuo's linear SGD trainers: how an output becomes a training target, the
 * objective, and how trained parameters become Tribuo's model.
 *
 * @param <T> the output type
 * @param <U> the training-time form of an output
 */
interface SgdProblem<T extends Output<T>, U> {
    /** The training-time form of {@code output}. */
    U target(ImmutableOutputInfo<T> outputs, T output);

    /** An array for {@code size} targets. */
    U[] targets(int size);

    /** The loss and its gradient. */
    SGDObjective<U> objective();

    /** Tribuo's model for the trained parameters, with Tribuo's provenance of the dataset and trainer. */
    Model<T> model(ImmutableDataset<T> dataset, LinearParameters parameters);
}
