package dev.kiln.cli.command;

import dev.kiln.json.KilnJson;
import dev.kiln.modules.datasets.ShippedDataset;
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

/**
 * The demo's data: the shipped SpamAssassin e-mails, split with a fixed seed into a training file and held-out
 * e-mails the model never sees.
 *
 * @param trainFile the training e-mails as JSON Lines
 * @param trainCount how many e-mails it holds
 * @param heldOut the held-out e-mails
 */
record DemoData(Path trainFile, int trainCount, List<TextRecord> heldOut) {
    static final int HELD_OUT = 500;
    private static final long SEED = 7;

    /** Splits the dataset and writes the training part into {@code dir}. */
    static DemoData prepare(Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(
                new InputStreamReader(ShippedDataset.SPAM_ASSASSIN.open(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        Collections.shuffle(lines, new Random(SEED));
        List<TextRecord> heldOut = new ArrayList<>();
        for (String line : lines.subList(0, HELD_OUT)) {
            heldOut.add(KilnJson.data().readValue(line, TextRecord.class));
        }
        List<String> train = lines.subList(HELD_OUT, lines.size());
        Path file = Files.write(dir.resolve("spam_assassin_train.jsonl"), train, StandardCharsets.UTF_8);
        return new DemoData(file, train.size(), List.copyOf(heldOut));
    }

    /** Three held-out e-mails to show: two spam and one ham, in dataset order. */
    List<TextRecord> examples() {
        List<TextRecord> picked = new ArrayList<>();
        heldOut.stream().filter(r -> r.label().equals("spam")).limit(2).forEach(picked::add);
        heldOut.stream().filter(r -> r.label().equals("ham")).limit(1).forEach(r -> picked.add(1, r));
        return picked;
    }
}
