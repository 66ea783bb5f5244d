package dev.kiln.modules.tabular;

import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.RunnableModel;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;

/** A trained tabular classifier: a schema for reading rows and a Tribuo linear model. Thread-safe. */
public final class TabularClassifierModel implements RunnableModel<Map<String, Object>, ClassificationResult> {
    private final TabularSchema schema;
    private final Model<Label> model;
    private final Map<String, Double> metrics;

    TabularClassifierModel(TabularSchema schema, Model<Label> model, Map<String, Double> metrics) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.model = Objects.requireNonNull(model, "model");
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    @Override
    public ModuleDescriptor module() {
        return ModuleDescriptor.of(TabularClassifier.class);
    }

    @Override
    public Class<Map<String, Object>> inputType() {
        return TabularRows.type();
    }

    /**
     * Classifies one row; columns the model does not read (the target too) are ignored.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT if a numeric column holds something else
     */
    @Override
    public ClassificationResult run(Map<String, Object> row) {
        return Predictions.classification(model.predict(schema.example(row, LabelFactory.UNKNOWN_LABEL, "Input row")));
    }

    /** How rows are read. */
    public TabularSchema schema() {
        return schema;
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

    @Override
    public void save(ModelWriter writer) throws IOException {
        TribuoArtifacts.save(model, writer);
        TabularModelFiles.write(schema, writer);
        writer.put("labels", labels());
        writer.put("metrics", new LinkedHashMap<>(metrics));
    }
}
