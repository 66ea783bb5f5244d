package dev.kiln.bench.scenario;

import dev.kiln.modules.datasets.ShippedDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/** The shipped SpamAssassin e-mails as JSON lines, shuffled as the serving benchmark does; the first 500 held out. */
final class SpamCorpus {
    /** How many of the first lines are held out of training. */
    static final int HELD_OUT = 500;

    private SpamCorpus() {}

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
}
