package dev.kiln.bench.scenario;

import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The shipped SpamAssassin e-mails as JSON lines, shuffled as the serving benchmark does; the first 500 held out. */
final class SpamCorpus {
    /** How many of the first lines are held out of training. */
    static final int HELD_OUT = 500;

    private SpamCorpus() {}

    /** Every e-mail as a JSON line, in the benchmarks' shuffled order. */
    static List<String> lines() throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(ShippedDataset.SPAM_ASSASSIN.open(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        Collections.shuffle(lines, new Random(7));
        return lines;
    }

    /**
     * The TextClassifier's default parameters over the training e-mails (all of {@code lines} but the held-out
     * ones), written to {@code dir/train.jsonl}.
     */
    static TextClassifier.Params trainingParams(List<String> lines, Path dir) throws IOException {
        Path train = Files.write(dir.resolve("train.jsonl"), lines.subList(HELD_OUT, lines.size()));
        return TextClassifier.Params.of(DataStream.open(new DataSource.File(train.toString()), TextRecord.class));
    }
}
