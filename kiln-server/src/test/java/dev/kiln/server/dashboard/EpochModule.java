package dev.kiln.server.dashboard;

import dev.kiln.data.DataStream;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.TrainingContext;
import dev.kiln.testing.SampleRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A module for the dashboard's browser tests: it trains for a number of epochs and reports loss and accuracy after
 * each. With {@code gate_dir} it waits before epoch N until the file {@code epoch-N} exists there, so a test decides
 * how far a training gets; with {@code fail_at_epoch} it fails there with an exception.
 */
@ModuleInfo(id = "5f0c1a2e-7b3d-4e8f-9a61-2c4d6e8f0a1b", name = "EpochModule", version = "1.2.0", task = "SampleTask")
public final class EpochModule implements ModuleType<EpochModule.Params, EpochModule.EpochModel> {
    /** How often a gated epoch looks for its file. */
    private static final long GATE_POLL_MILLIS = 5;

    /** Parameters of {@link EpochModule}. */
    public record Params(
            @Param(description = "Training records") DataStream<SampleRecord> trainingData,

            @Param(defaultValue = "8", description = "Passes over the data")
            int epochs,

            @Param(defaultValue = "0.1", description = "Step size; must be positive")
            double learningRate,

            @Param(defaultValue = "32", description = "Records per batch")
            int batchSize,

            @Param(description = "Wait for the file epoch-N in this directory before epoch N")
            String gateDir,

            @Param(description = "Fail with an exception at this epoch")
            Integer failAtEpoch) {}

    /** What {@link EpochModule} trains: the final loss and how many records it saw. */
    public record EpochModel(double loss, int recordsSeen) implements Model {
        @Override
        public ModuleDescriptor module() {
            return ModuleDescriptor.of(EpochModule.class);
        }

        @Override
        public void save(ModelWriter writer) throws IOException {
            writer.put("loss", loss).put("records_seen", recordsSeen);
            Files.writeString(writer.directory().resolve("weights.txt"), Double.toString(loss));
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public void validate(Params p) {
        if (p.epochs() < 1 || p.epochs() > 100_000) {
            throw KilnException.invalidArgument("epochs must be between 1 and 100000; got " + p.epochs());
        }
        if (!(p.learningRate() > 0) || Double.isInfinite(p.learningRate())) {
            throw KilnException.invalidArgument("learning_rate must be a positive number; got " + p.learningRate());
        }
    }

    @Override
    public EpochModel train(Params p, TrainingContext context) throws Exception {
        int records = 0;
        if (p.trainingData() != null) {
            for (SampleRecord ignored : p.trainingData()) {
                records++;
            }
        }
        context.logger()
                .info(
                        "training on {} records for {} epochs (learning rate {}, batch size {})",
                        records,
                        p.epochs(),
                        p.learningRate(),
                        p.batchSize());
        double loss = Double.NaN;
        for (int epoch = 1; epoch <= p.epochs(); epoch++) {
            awaitGate(p.gateDir(), epoch, context);
            if (p.failAtEpoch() != null && p.failAtEpoch() == epoch) {
                throw new IllegalStateException("Loss diverged at epoch " + epoch + ": learning rate "
                        + p.learningRate() + " is too high for this data");
            }
            loss = loss(epoch, p.learningRate());
            double accuracy = Math.min(0.995, 1 - loss / 2.6);
            context.logger()
                    .info(
                            "epoch {}/{}: loss {} accuracy {}",
                            epoch,
                            p.epochs(),
                            String.format("%.4f", loss),
                            String.format("%.4f", accuracy));
            context.reportProgress(epoch, p.epochs(), Map.of("loss", loss, "accuracy", accuracy));
        }
        context.logger().info("training finished with loss {}", String.format("%.4f", loss));
        return new EpochModel(loss, records);
    }

    /** A plausible, deterministic loss curve: a decaying exponential with a small wobble. */
    static double loss(int epoch, double learningRate) {
        return 0.09
                + 2.1 * Math.exp(-learningRate * 2.4 * epoch)
                + 0.04 * Math.sin(epoch * 1.7) * Math.exp(-epoch / 9.0);
    }

    private static void awaitGate(String gateDir, int epoch, TrainingContext context) throws InterruptedException {
        if (gateDir == null) {
            return;
        }
        Path gate = Path.of(gateDir, "epoch-" + epoch);
        while (!Files.exists(gate)) {
            context.throwIfCancelled();
            Thread.sleep(GATE_POLL_MILLIS);
        }
    }

    @Override
    public EpochModel load(ModelDirectory directory) throws Exception {
        return new EpochModel(
                Double.parseDouble(Files.readString(directory.resolve("weights.txt"))),
                ((Number) directory.get("records_seen")).intValue());
    }
}
