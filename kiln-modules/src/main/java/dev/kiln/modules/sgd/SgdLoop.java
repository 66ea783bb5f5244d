package dev.kiln.modules.sgd;

import com.oracle.labs.mlrg.olcut.util.Pair;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.TrainingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import org.tribuo.Example;
import org.tribuo.ImmutableDataset;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.common.sgd.AbstractSGDTrainer;
import org.tribuo.common.sgd.SGDObjective;
import org.tribuo.math.LinearParameters;
import org.tribuo.math.la.DenseMatrix;
import org.tribuo.math.la.SGDVector;
import org.tribuo.math.la.SparseVector;
import org.tribuo.math.la.Tensor;

/**
 * Tribuo's linear SGD loop (one example at a time, shuffled each epoch, AdaGrad), owned by Kiln so that it can stop
 * after any epoch and resume exactly: after every {@code checkpoint_every} epochs (and the last, and the first one
 * to end after the scheduler asks for a checkpoint) it saves an {@link SgdCheckpoint}, and on start it continues from the latest one, so an interrupted and resumed training ends
 * with the same parameters, bit for bit, as one that ran straight through with the same seed and data. Tribuo's
 * own {@code train()} keeps its optimiser's state and its generator private, so it cannot be resumed from outside.
 */
final class SgdLoop {
    /** AdaGrad's epsilon, as Kiln's modules have always used it. */
    static final double EPSILON = 0.1;

    private SgdLoop() {}

    /**
     * The trained model and the metrics of every epoch, including the epochs of earlier attempts.
     *
     * @param model Tribuo's model
     * @param history each epoch's metrics, in order
     */
    record Result<T extends Output<T>>(Model<T> model, List<Map<String, Double>> history) {}

    /**
     * Trains, or finishes a training an earlier attempt checkpointed.
     *
     * @throws dev.kiln.module.TrainingCancelledException once the training is cancelled, between epochs
     */
    static <T extends Output<T>, U> Result<T> run(
            SgdProblem<T, U> problem,
            ImmutableDataset<T> dataset,
            SgdSettings settings,
            TrainingContext context,
            EpochListener listener) {
        ImmutableFeatureMap features = dataset.getFeatureIDMap();
        ImmutableOutputInfo<T> outputs = dataset.getOutputIDInfo();
        int n = dataset.size();
        SGDVector[] x = new SGDVector[n];
        U[] y = problem.targets(n);
        double[] w = new double[n];
        int i = 0;
        for (Example<T> example : dataset) {
            w[i] = example.getWeight();
            x[i] = SparseVector.createSparseVector(example, features, true);
            y[i] = problem.target(outputs, example.getOutput());
            i++;
        }
        SGDObjective<U> objective = problem.objective();
        LinearParameters parameters = new LinearParameters(features.size() + 1, outputs.size());
        AdaGradState optimiser = new AdaGradState(settings.learningRate(), EPSILON, parameters);
        SplittableRandom rng = new SplittableRandom(settings.seed()).split();
        long fingerprint = fingerprint(dataset, settings);
        List<Map<String, Double>> history = new ArrayList<>();
        int done = 0;
        Optional<SgdCheckpoint> resumed = resumable(context, fingerprint);
        if (resumed.isPresent()) {
            SgdCheckpoint state = resumed.get();
            parameters.set(new Tensor[] {DenseMatrix.createDenseMatrix(state.weights())});
            optimiser.restore(state.accumulators());
            for (int s = 0; s < state.shuffles(); s++) {
                AbstractSGDTrainer.shuffleInPlace(x, y, w, rng);
            }
            history.addAll(state.history());
            done = state.epoch();
            context.logger().info("Resuming after epoch {}/{} from its checkpoint", done, settings.epochs());
        }
        for (int epoch = done + 1; epoch <= settings.epochs(); epoch++) {
            context.throwIfCancelled();
            AbstractSGDTrainer.shuffleInPlace(x, y, w, rng);
            double loss = 0;
            for (int j = 0; j < n; j++) {
                SGDVector prediction = parameters.predict(x[j]);
                Pair<Double, SGDVector> output = objective.lossAndGradient(y[j], prediction);
                loss += output.getA() * w[j];
                parameters.update(optimiser.step(parameters.gradients(output, x[j]), w[j]));
            }
            Map<String, Double> metrics = listener.epochEnded(epoch, loss / n, parameters);
            history.add(metrics);
            context.reportProgress(epoch, settings.epochs(), metrics);
            context.logger().info("Epoch {}/{}: {}", epoch, settings.epochs(), metrics);
            if (epoch % settings.checkpointEvery() == 0
                    || epoch == settings.epochs()
                    || context.checkpointRequested()) {
                context.saveCheckpoint(
                        epoch,
                        new SgdCheckpoint(
                                        fingerprint,
                                        epoch,
                                        epoch,
                                        parameters.getWeightMatrix().toArray(),
                                        optimiser.accumulators(),
                                        history)
                                .encode());
            }
        }
        return new Result<>(problem.model(dataset, parameters), history);
    }

    /** The latest checkpoint, if it belongs to this data and these settings and reads back whole. */
    private static Optional<SgdCheckpoint> resumable(TrainingContext context, long fingerprint) {
        Optional<Checkpoint> latest = context.latestCheckpoint();
        if (latest.isEmpty()) {
            return Optional.empty();
        }
        try {
            SgdCheckpoint state = SgdCheckpoint.decode(latest.get().state());
            if (state.fingerprint() == fingerprint) {
                return Optional.of(state);
            }
            context.logger()
                    .warn(
                            "Checkpoint {} belongs to other data or settings; starting afresh",
                            latest.get().step());
        } catch (IllegalArgumentException e) {
            context.logger()
                    .warn(
                            "Checkpoint {} cannot be read ({}); starting afresh",
                            latest.get().step(),
                            e.getMessage());
        }
        return Optional.empty();
    }

    /** Identifies the data (its examples, features and outputs) and the settings a checkpoint belongs to. */
    private static long fingerprint(ImmutableDataset<?> dataset, SgdSettings settings) {
        long h = 17;
        h = 31 * h + dataset.size();
        h = 31 * h + dataset.getFeatureIDMap().size();
        h = 31 * h + dataset.getOutputIDInfo().size();
        h = 31 * h + dataset.getFeatureIDMap().keySet().hashCode();
        h = 31 * h + dataset.getOutputIDInfo().getDomain().hashCode();
        h = 31 * h + settings.seed();
        h = 31 * h + Double.doubleToLongBits(settings.learningRate());
        return h;
    }
}
