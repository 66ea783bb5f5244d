package dev.kiln.modules.text;

import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.RunnableModel;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/** A trained text classifier: a Tribuo logistic-regression model over word n-grams. Thread-safe. */
public final class TextClassifierModel implements RunnableModel<TextInput, ClassificationResult> {
    private final Model<Label> model;
    private final NgramFeaturizer featurizer;
    private final Map<String, Double> metrics;

    TextClassifierModel(Model<Label> model, int ngramMax, Map<String, Double> metrics) {
        this.model = Objects.requireNonNull(model, "model");
        this.featurizer = new NgramFeaturizer(ngramMax);
        this.metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    @Override
    public ModuleDescriptor module() {
        return ModuleDescriptor.of(TextClassifier.class);
    }

    @Override
    public Class<TextInput> inputType() {
        return TextInput.class;
    }

    @Override
    public ClassificationResult run(TextInput input) {
        return predict(input.text() == null ? "" : input.text());
    }

    /** Classifies one text. */
    public ClassificationResult predict(String text) {
        ImmutableFeatureMap known = model.getFeatureIDMap();
        return Predictions.classification(
                model.predict(featurizer.example(text, LabelFactory.UNKNOWN_LABEL, name -> known.get(name) != null)));
    }

    /** The labels this model chooses between. */
    public List<String> labels() {
        return model.getOutputIDInfo().getDomain().stream()
                .map(Label::getLabel)
                .sorted()
                .toList();
    }

    /** The last epoch's training loss and validation accuracy. */
    public Map<String, Double> metrics() {
        return metrics;
    }

    /** The underlying Tribuo model. */
    public Model<Label> tribuoModel() {
        return model;
    }

    @Override
    public void save(ModelWriter writer) throws IOException {
        TribuoArtifacts.save(model, writer);
        writer.put("ngram_max", featurizer.ngramMax());
        writer.put("labels", labels());
        writer.put("features", model.getFeatureIDMap().size());
        writer.put("metrics", new LinkedHashMap<>(metrics));
    }
}
