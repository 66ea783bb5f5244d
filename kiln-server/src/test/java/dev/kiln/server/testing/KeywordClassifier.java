package dev.kiln.server.testing;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.data.DataStream;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.RunnableModel;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * A tiny text classifier for the server's tests, with caikit's {@code TextClassification} task: it counts each word's
 * labels and scores a text by the counts of its words. Its model answers as Kiln's classifiers do
 * ({@code {"label", "scores"}}). It is given to test servers explicitly, not through {@link java.util.ServiceLoader}.
 */
@ModuleInfo(
        id = "9d1c7e7a-3b9b-4f55-a2a4-2f6c1b8f0a11",
        name = "KeywordClassifier",
        version = "0.0.1",
        task = "TextClassification")
public final class KeywordClassifier implements ModuleType<KeywordClassifier.Params, KeywordClassifier.Model> {

    /** A labelled text. */
    public record Example(String text, String label) {}

    /** The parameters: caikit's client leaves out false-y values, so every one but the data has a default. */
    public record Params(
            @Param(required = true, description = "Labelled texts")
            DataStream<Example> trainingData,

            @Param(defaultValue = "1.0", description = "Added to every count")
            double smoothing,

            @Param(defaultValue = "true", description = "Lower-case words first")
            boolean lowercase,

            @Param(defaultValue = "WORDS", description = "How a text splits into words")
            Tokens tokens) {}

    /** How a text splits into words: at every non-word character, or at white space only. */
    public enum Tokens {
        WORDS("\\W+"),
        WHITESPACE("\\s+");

        private final String separator;

        Tokens(String separator) {
            this.separator = separator;
        }
    }

    /** The input of the model. */
    public record Input(String text) {}

    /** The output, as Kiln's classifiers give it. */
    public record Output(String label, Map<String, Double> scores) {}

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public Model train(Params p, TrainingContext context) {
        Map<String, Map<String, Integer>> counts = new TreeMap<>();
        for (Example e : p.trainingData()) {
            for (String w : words(e.text(), p.lowercase(), p.tokens())) {
                counts.computeIfAbsent(w, k -> new TreeMap<>()).merge(e.label(), 1, Integer::sum);
            }
            counts.computeIfAbsent("", k -> new TreeMap<>()).merge(e.label(), 1, Integer::sum);
        }
        return new Model(counts, p.smoothing(), p.lowercase(), p.tokens());
    }

    private static String[] words(String text, boolean lowercase, Tokens tokens) {
        String t = text == null ? "" : text;
        return (lowercase ? t.toLowerCase(Locale.ROOT) : t).split(tokens.separator);
    }

    @Override
    public Model load(ModelDirectory directory) throws IOException {
        Map<String, Map<String, Integer>> counts =
                KilnJson.strict().readValue(directory.resolve("counts.json").toFile(), new TypeReference<>() {});
        return new Model(
                counts,
                ((Number) directory.get("smoothing")).doubleValue(),
                Boolean.TRUE.equals(directory.get("lowercase")),
                Tokens.valueOf(String.valueOf(directory.get("tokens"))));
    }

    /** The trained counts. */
    public static final class Model implements RunnableModel<Input, Output> {
        private final Map<String, Map<String, Integer>> counts;
        private final double smoothing;
        private final boolean lowercase;
        private final Tokens tokens;

        Model(Map<String, Map<String, Integer>> counts, double smoothing, boolean lowercase, Tokens tokens) {
            this.counts = counts;
            this.smoothing = smoothing;
            this.lowercase = lowercase;
            this.tokens = tokens;
        }

        /** How this model splits texts into words. */
        public Tokens tokens() {
            return tokens;
        }

        @Override
        public ModuleDescriptor module() {
            return ModuleDescriptor.of(KeywordClassifier.class);
        }

        @Override
        public Class<Input> inputType() {
            return Input.class;
        }

        @Override
        public Output run(Input input) {
            Map<String, Double> raw = new TreeMap<>();
            counts.getOrDefault("", Map.of()).keySet().forEach(l -> raw.put(l, smoothing));
            for (String w : words(input.text(), lowercase, tokens)) {
                counts.getOrDefault(w, Map.of()).forEach((l, n) -> raw.merge(l, (double) n, Double::sum));
            }
            double total =
                    raw.values().stream().mapToDouble(Double::doubleValue).sum();
            Map<String, Double> scores = new TreeMap<>();
            raw.forEach((l, v) -> scores.put(l, v / total));
            String best = scores.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .map(Map.Entry::getKey)
                    .orElse("");
            return new Output(best, scores);
        }

        @Override
        public void save(ModelWriter writer) throws IOException {
            KilnJson.strict()
                    .writeValue(writer.directory().resolve("counts.json").toFile(), counts);
            writer.put("smoothing", smoothing);
            writer.put("lowercase", lowercase);
            writer.put("tokens", tokens.name());
        }
    }
}
