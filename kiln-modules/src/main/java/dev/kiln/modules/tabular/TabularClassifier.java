package dev.kiln.modules.tabular;

import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;
import dev.kiln.modules.sgd.LinearClassifierTraining;
import dev.kiln.modules.sgd.Predictions;
import dev.kiln.modules.sgd.SgdSettings;
import dev.kiln.modules.sgd.TrainingOutcome;
import dev.kiln.modules.sgd.TribuoArtifacts;
import java.util.List;
import java.util.Map;
import org.tribuo.Example;
import org.tribuo.classification.Label;

/**
 * Classifies table rows: logistic regression (Tribuo's linear SGD, log loss, AdaGrad) over standardised numeric and
 * one-hot categorical columns, trained in epochs with the loss and held-out accuracy reported after each.
 */
@ModuleInfo(
        id = "c53480e9-ba8c-4f77-a90a-22be0a9703cf",
        name = "TabularClassifier",
        version = "1.0.0",
        task = "TabularClassification")
public final class TabularClassifier implements ModuleType<TabularParams, TabularClassifierModel> {

    @Override
    public Class<TabularParams> parametersType() {
        return TabularParams.class;
    }

    @Override
    public void validate(TabularParams parameters) {
        parameters.validate();
    }

    @Override
    public TabularClassifierModel train(TabularParams p, TrainingContext context) {
        p.validate();
        TabularData data = TabularData.prepare(p, false);
        TabularSchema schema = data.schema();
        context.logger()
                .info(
                        "TabularClassifier: {} training and {} held-out rows, {} feature columns",
                        data.split().train().size(),
                        data.split().validation().size(),
                        schema.columns().size());
        TrainingOutcome<Label> outcome = LinearClassifierTraining.run(
                examples(schema, data.split().train()),
                examples(schema, data.split().validation()),
                new SgdSettings(p.epochs(), p.learningRate(), p.seed(), p.checkpointEvery()),
                context,
                "TabularClassifier training_data");
        return new TabularClassifierModel(schema, outcome.model(), outcome.metrics());
    }

    private static List<Example<Label>> examples(TabularSchema schema, List<Map<String, Object>> rows) {
        return rows.stream()
                .map(r -> schema.example(
                        r, new Label(Cells.text(r.get(schema.target()))), "A row of " + TabularData.DATA))
                .toList();
    }

    @Override
    public TabularClassifierModel load(ModelDirectory directory) {
        return new TabularClassifierModel(
                TabularModelFiles.read(directory),
                TribuoArtifacts.load(directory, Label.class),
                Predictions.metrics(directory.get("metrics")));
    }
}
