package dev.kiln.modules.text;

import com.carrotsearch.hppc.IntArrayList;
import com.carrotsearch.hppc.LongIntHashMap;
import com.carrotsearch.hppc.ObjectIntHashMap;
import java.util.Arrays;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.VariableInfo;

/**
 * A model's n-gram features as a trie over words, so that a text's features are found with one look-up per word and
 * per n-gram step, without building n-gram strings. Each distinct word of the feature names is a child of the root
 * (its node number doubles as the word's number); a longer n-gram is reached from its prefix by the pair (prefix
 * node, word). It finds exactly the features {@link NgramFeaturizer#example} keeps for the model's feature map.
 * Immutable and thread-safe.
 */
final class NgramIndex {
    private static final int NONE = -1;
    private static final int KEPT_BUFFER = 1 << 14;

    private final int ngramMax;
    private final ObjectIntHashMap<String> words = new ObjectIntHashMap<>();
    private final LongIntHashMap children = new LongIntHashMap();
    private final int[] featureOfNode;
    private final int constantFeature;

    private NgramIndex(int ngramMax, ImmutableFeatureMap features) {
        this.ngramMax = ngramMax;
        IntArrayList featureOf = new IntArrayList();
        featureOf.add(NONE); // the root
        for (VariableInfo info : features) {
            String[] parts = info.getName().split(" ", -1);
            if (info.getName().equals(NgramFeaturizer.CONSTANT_FEATURE)
                    || parts.length > ngramMax
                    || Arrays.stream(parts).anyMatch(String::isEmpty)) {
                continue; // never an n-gram of a text
            }
            int node = NONE;
            for (String part : parts) {
                node = node == NONE ? word(part, featureOf) : child(node, word(part, featureOf), featureOf);
            }
            featureOf.set(node, features.getID(info.getName()));
        }
        this.featureOfNode = featureOf.toArray();
        this.constantFeature = features.getID(NgramFeaturizer.CONSTANT_FEATURE);
    }

    /** The index of {@code features}, for n-grams of up to {@code ngramMax} words. */
    static NgramIndex of(ImmutableFeatureMap features, int ngramMax) {
        return new NgramIndex(ngramMax, features);
    }

    /** Fresh buffers for one thread's calls of {@link #features}. */
    Scratch scratch() {
        return new Scratch();
    }

    /** The id of {@link NgramFeaturizer#CONSTANT_FEATURE}, or -1 if the model has none. */
    int constantFeature() {
        return constantFeature;
    }

    /**
     * Finds the model's features among the text's n-grams, and adds the constant feature (if the model has it).
     *
     * @return how many distinct features the text has, the constant one included; their ids are the first that many
     *     of {@code scratch.ids()}, in increasing order; {@code scratch.ngrams()} of them are n-grams
     */
    int features(String text, Scratch scratch) {
        int count = ngramFeatures(text, scratch);
        scratch.ngrams = count;
        if (constantFeature == NONE) {
            return count;
        }
        int at = -Arrays.binarySearch(scratch.ids, 0, count, constantFeature) - 1;
        scratch.addFeature(count, 0);
        System.arraycopy(scratch.ids, at, scratch.ids, at + 1, count - at);
        scratch.ids[at] = constantFeature;
        return count + 1;
    }

    private int ngramFeatures(String text, Scratch scratch) {
        scratch.reset();
        WordScanner.scan(text, scratch::addWord);
        int count = 0;
        for (int i = 0; i < scratch.words; i++) {
            int node = scratch.wordIds[i];
            for (int n = 1; node != NONE; n++) {
                int feature = featureOfNode[node];
                if (feature != NONE) {
                    scratch.addFeature(count++, feature);
                }
                if (n == ngramMax || i + n >= scratch.words || scratch.wordIds[i + n] == NONE) {
                    break;
                }
                node = children.getOrDefault(key(node, scratch.wordIds[i + n]), NONE);
            }
        }
        Arrays.sort(scratch.ids, 0, count);
        int distinct = 0;
        for (int i = 0; i < count; i++) {
            if (distinct == 0 || scratch.ids[distinct - 1] != scratch.ids[i]) {
                scratch.ids[distinct++] = scratch.ids[i];
            }
        }
        return distinct;
    }

    private int word(String word, IntArrayList featureOf) {
        int node = words.getOrDefault(word, NONE);
        if (node == NONE) {
            node = featureOf.size();
            featureOf.add(NONE);
            words.put(word, node);
        }
        return node;
    }

    private int child(int parent, int word, IntArrayList featureOf) {
        long key = key(parent, word);
        int node = children.getOrDefault(key, NONE);
        if (node == NONE) {
            node = featureOf.size();
            featureOf.add(NONE);
            children.put(key, node);
        }
        return node;
    }

    private static long key(int parent, int word) {
        return ((long) parent << 32) | word;
    }

    /** One thread's buffers for {@link #features}, reused from call to call. */
    final class Scratch {
        private int[] wordIds = new int[64];
        private int words;
        private int[] ids = new int[64];
        private int ngrams;

        /** The feature ids found by the last {@link #features} call. */
        int[] ids() {
            return ids;
        }

        /** How many of the last call's features are n-grams (all but the constant one). */
        int ngrams() {
            return ngrams;
        }

        /** Starts a call; buffers a very long text grew are dropped, so a thread does not keep them. */
        private void reset() {
            words = 0;
            if (wordIds.length > KEPT_BUFFER) {
                wordIds = new int[64];
            }
            if (ids.length > KEPT_BUFFER) {
                ids = new int[64];
            }
        }

        private void addWord(String word) {
            if (words == wordIds.length) {
                wordIds = Arrays.copyOf(wordIds, words * 2);
            }
            wordIds[words++] = NgramIndex.this.words.getOrDefault(word, NONE);
        }

        private void addFeature(int at, int feature) {
            if (at == ids.length) {
                ids = Arrays.copyOf(ids, at * 2);
            }
            ids[at] = feature;
        }
    }
}
