package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.modules.text.TextClassifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * {@code checkpoint_text_classifier}: what checkpointing costs the demo's spam filter (the TextClassifier with its
 * defaults on the shipped e-mails, 500 held out), trained in this JVM. Each round trains once with a checkpoint after
 * every epoch, written to disk as a LOCAL trainer writes it (temporary file, fsync, rename, the newest two kept), and
 * once with {@code checkpoint_every} equal to the epochs and the one checkpoint discarded, the two interleaved. It
 * reports the median of each, the difference per epoch, the median time of one write to disk, and one checkpoint's
 * bytes on disk.
 */
public final class CheckpointCostScenario implements Scenario {
    static final String NAME = "checkpoint_text_classifier";
    private static final String CONTEXT_ID = "checkpoint-bench";

    @Override
    public String name() {
        return "checkpoint";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Path dir = run.directory("checkpoint");
        TextClassifier.Params params = SpamCorpus.trainingParams(SpamCorpus.lines(), dir);
        int epochs = params.epochs();
        int rounds = run.size(5, 1);
        Samples with = new Samples(rounds);
        Samples without = new Samples(rounds);
        Samples writes = new Samples(rounds * epochs);
        long bytes = 0;
        QuietContext discarding = QuietContext.of(CONTEXT_ID, CheckpointCostScenario.class);
        new TextClassifier().train(params, discarding);
        for (int i = 0; i < rounds; i++) {
            Path store = dir.resolve("round-" + i);
            QuietContext checkpointing = QuietContext.checkpointingTo(
                    CONTEXT_ID, CheckpointCostScenario.class, new CheckpointStore(store, 2), writes);
            long t0 = System.nanoTime();
            new TextClassifier().train(params.withCheckpointEvery(1), checkpointing);
            with.add(System.nanoTime() - t0);
            bytes = Files.size(store.resolve(String.format("checkpoint-%019d.bin", epochs)));
            t0 = System.nanoTime();
            new TextClassifier().train(params.withCheckpointEvery(epochs), discarding);
            without.add(System.nanoTime() - t0);
        }
        Map<String, Object> line = BenchOutput.line(NAME);
        line.put("model", "TextClassifier spam (kiln demo data, defaults)");
        line.put("epochs", epochs);
        line.put("rounds", rounds);
        line.put("train_with_checkpoints_median_ms", Samples.round(with.medianMs()));
        line.put("train_without_checkpoints_median_ms", Samples.round(without.medianMs()));
        line.put("cost_per_epoch_ms", Samples.round((with.medianMs() - without.medianMs()) / epochs));
        line.put("disk_write_median_ms", Samples.round(writes.medianMs()));
        line.put("checkpoint_bytes", bytes);
        run.emit(line);
    }
}
