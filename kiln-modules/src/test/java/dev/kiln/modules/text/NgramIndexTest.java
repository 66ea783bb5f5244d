package dev.kiln.modules.text;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.tribuo.Example;
import org.tribuo.Feature;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.MutableFeatureMap;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

class NgramIndexTest {
    private static final List<String> VOCABULARY = List.of(
            "free",
            "offer",
            "free offer",
            "click",
            "click here",
            "here",
            "won't",
            "won't stop",
            "é",
            "é é",
            "a b",
            "b c",
            "a b c",
            "x  y",
            " lead",
            "trail ",
            "<text>");
    private static final String[] WORDS = {"free", "offer", "click", "here", "won't", "stop", "é", "a", "b", "c", "x"};

    @Test
    void findsExactlyTheFeaturesTheFeaturizerKeeps() {
        for (int ngramMax = 1; ngramMax <= 3; ngramMax++) {
            NgramFeaturizer featurizer = new NgramFeaturizer(ngramMax);
            ImmutableFeatureMap features = features();
            NgramIndex index = NgramIndex.of(features, ngramMax);
            NgramIndex.Scratch scratch = index.scratch();
            Random random = new Random(ngramMax);
            for (int round = 0; round < 5_000; round++) {
                String text = text(random);
                Example<Label> example =
                        featurizer.example(text, LabelFactory.UNKNOWN_LABEL, name -> features.get(name) != null);
                TreeSet<Integer> expected = new TreeSet<>();
                for (Feature f : example) {
                    expected.add(features.getID(f.getName()));
                }
                int count = index.features(text, scratch);
                List<Integer> found = new ArrayList<>();
                Arrays.stream(scratch.ids(), 0, count).forEach(found::add);
                assertThat(found).as(text).containsExactlyElementsOf(expected);
                assertThat(scratch.ngrams()).as(text).isEqualTo(expected.size() - 1);
            }
        }
    }

    private static String text(Random random) {
        StringBuilder text = new StringBuilder();
        int words = random.nextInt(10);
        for (int i = 0; i < words; i++) {
            String w = WORDS[random.nextInt(WORDS.length)];
            text.append(random.nextBoolean() ? w : w.toUpperCase(java.util.Locale.ROOT));
            text.append(random.nextInt(4) == 0 ? ", " : " ");
        }
        return text.toString();
    }

    private static ImmutableFeatureMap features() {
        MutableFeatureMap map = new MutableFeatureMap();
        for (String name : VOCABULARY) {
            map.add(name, 1.0);
        }
        return new ImmutableFeatureMap(map);
    }
}
