package dev.kiln.modules.sgd;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * Records split into a training part and a held-out validation part, shuffled with a seed so the split is
 * repeatable.
 *
 * @param train the records to train on
 * @param validation the held-out records
 */
public record HoldOut<T>(List<T> train, List<T> validation) {
    public HoldOut {
        train = List.copyOf(train);
        validation = List.copyOf(validation);
    }

    /** Holds out {@code fraction} of the records (rounded down), always leaving at least one to train on. */
    public static <T> HoldOut<T> split(List<T> records, double fraction, long seed) {
        List<T> shuffled = new ArrayList<>(records);
        Collections.shuffle(shuffled, new Random(seed));
        int held = (int) Math.floor(shuffled.size() * fraction);
        held = Math.max(0, Math.min(held, shuffled.size() - 1));
        return new HoldOut<>(shuffled.subList(held, shuffled.size()), shuffled.subList(0, held));
    }
}
