package dev.kiln.modules.text;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * Turns a text into word n-gram features: lower-cased words, every n-gram from 1 to {@code ngramMax} words, each
 * present n-gram weighted equally and the vector scaled to unit length. A constant feature keeps texts without a
 * known n-gram predictable (they get the model's prior). Thread-safe.
 */
public final class NgramFeaturizer {
    /** The feature every text has. */
    public static final String CONSTANT_FEATURE = "<text>";

    private static final Pattern WORD = Pattern.compile("[\\p{L}\\p{N}]+(?:['\u2019][\\p{L}]+)?");

    private final int ngramMax;

    public NgramFeaturizer(int ngramMax) {
        if (ngramMax < 1) {
            throw new IllegalArgumentException("ngramMax must be at least 1");
        }
        this.ngramMax = ngramMax;
    }

    /** The longest n-gram, in words. */
    public int ngramMax() {
        return ngramMax;
    }

    /** The text's words, lower-cased. */
    public List<String> words(String text) {
        List<String> words = new ArrayList<>();
        Matcher m = WORD.matcher(text);
        while (m.find()) {
            words.add(m.group().toLowerCase(Locale.ROOT));
        }
        return words;
    }

    /** The distinct n-grams of the text, words joined by a space, in order of first appearance. */
    public Set<String> ngrams(String text) {
        List<String> words = words(text);
        Set<String> grams = new LinkedHashSet<>();
        for (int i = 0; i < words.size(); i++) {
            StringBuilder gram = new StringBuilder();
            for (int n = 0; n < ngramMax && i + n < words.size(); n++) {
                if (n > 0) {
                    gram.append(' ');
                }
                gram.append(words.get(i + n));
                grams.add(gram.toString());
            }
        }
        return grams;
    }

    /** A Tribuo example of the text's n-grams that {@code known} accepts, with the given output. */
    public <T extends Output<T>> Example<T> example(String text, T output, Predicate<String> known) {
        List<String> kept = new ArrayList<>();
        for (String gram : ngrams(text)) {
            if (known.test(gram)) {
                kept.add(gram);
            }
        }
        String[] names = new String[kept.size() + 1];
        double[] values = new double[kept.size() + 1];
        double weight = kept.isEmpty() ? 0 : 1 / Math.sqrt(kept.size());
        for (int i = 0; i < kept.size(); i++) {
            names[i] = kept.get(i);
            values[i] = weight;
        }
        names[kept.size()] = CONSTANT_FEATURE;
        values[kept.size()] = 1;
        return new ArrayExample<>(output, names, values);
    }
}
