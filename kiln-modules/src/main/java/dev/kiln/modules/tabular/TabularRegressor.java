package dev.kiln.modules.tabular;

import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.sgd.LinearRegressorTraining;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.SgdSettings;
import dev.kiln.modules.sgd.TrainingOutcome;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.regression.Regressor;

/**
 * Predicts a numeric column of table rows: linear regression (Tribuo's linear SGD, squared loss, AdaGrad) over
 * standardised numeric and one-hot categorical columns, trained in epochs with the loss and held-out RMSE and R²
 * reported after each.
 */
@ModuleInfo(
        id = "5682d90c-ee19-43fb-9a59-1f50bb6643cd",
        name = "TabularRegressor",
        version = "1.0.0",
        task = "TabularRegression")
public final class TabularRegressor implements ModuleType<TabularParams, TabularRegressorModel> {

    @Override
    public Class<TabularParams> parametersType() {
        return TabularParams.class;
    }

    @Override
    public void validate(TabularParams parameters) {
        parameters.validate();
    }

    @Override
    public TabularRegressorModel train(TabularParams p, TrainingContext context) {
        p.validate();
        TabularData data = TabularData.prepare(p, true);
        TabularSchema schema = data.schema();
        context.logger()
                .info(
                        "TabularRegressor: {} training and {} held-out rows, {} feature columns",
                        data.split().train().size(),
                        data.split().validation().size(),
                        schema.columns().size());
        List<Map<String, Object>> validation = data.split().validation();
        double[] targets =
                validation.stream().mapToDouble(r -> target(schema, r)).toArray();
        TrainingOutcome<Regressor> outcome = LinearRegressorTraining.run(
                examples(schema, data.split().train()),
                examples(schema, validation),
                targets,
                schema::toTargetUnits,
                new SgdSettings(p.epochs(), p.learningRate(), p.seed(), p.checkpointEvery()),
                context,
                "TabularRegressor training_data");
        return new TabularRegressorModel(schema, outcome.model(), outcome.metrics());
    }

    private static double target(TabularSchema schema, Map<String, Object> row) {
        return Cells.number(row.get(schema.target()), schema.target(), "A row of " + TabularData.DATA);
    }

    private static List<Example<Regressor>> examples(TabularSchema schema, List<Map<String, Object>> rows) {
        return rows.stream()
                .map(r -> schema.example(
                        r,
                        new Regressor(schema.target(), schema.toStandardised(target(schema, r))),
                        "A row of " + TabularData.DATA))
                .toList();
    }

    @Override
    public TabularRegressorModel load(ModelDirectory directory) {
        return new TabularRegressorModel(
                TabularModelFiles.read(directory),
                TribuoArtifacts.load(directory, Regressor.class),
                Predictions.metrics(directory.get("metrics")));
    }
}
