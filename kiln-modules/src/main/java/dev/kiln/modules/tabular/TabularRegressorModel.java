package dev.kiln.modules.tabular;

import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.RunnableModel;
import dev.kiln.modules.RegressionResult;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.io.IOException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Model;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** A trained tabular regressor: a schema for reading rows and a Tribuo linear model. Thread-safe. */
public final class TabularRegressorModel implements RunnableModel<Map<String, Object>, RegressionResult> {
    private final TabularSchema schema;
    private final Model<Regressor> model;
    private final Map<String, Double> metrics;

    TabularRegressorModel(TabularSchema schema, Model<Regressor> model, Map<String, Double> metrics) {
        this.schema = Objects.requireNonNull(schema, "schema");
        this.model = Objects.requireNonNull(model, "model");
        this.metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    @Override
    public ModuleDescriptor module() {
        return ModuleDescriptor.of(TabularRegressor.class);
    }

    @Override
    public Class<Map<String, Object>> inputType() {
        return TabularRows.type();
    }

    /**
     * Predicts the target for one row; columns the model does not read (the target too) are ignored.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT if a numeric column holds something else
     */
    @Override
    public RegressionResult run(Map<String, Object> row) {
        return Predictions.regression(
                model.predict(schema.example(row, RegressionFactory.UNKNOWN_REGRESSOR, "Input row")),
                schema::toTargetUnits);
    }

    /** How rows are read. */
    public TabularSchema schema() {
        return schema;
    }

    /** The last epoch's training loss and validation RMSE and R². */
    public Map<String, Double> metrics() {
        return metrics;
    }

    @Override
    public void save(ModelWriter writer) throws IOException {
        TribuoArtifacts.save(model, writer);
        TabularModelFiles.write(schema, writer);
        writer.put("metrics", new LinkedHashMap<>(metrics));
    }
}
