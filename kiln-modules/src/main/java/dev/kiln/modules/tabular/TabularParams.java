package dev.kiln.modules.tabular;

import dev.kiln.data.DataStream;
import dev.kiln.module.Param;
import dev.kiln.modules.ParamChecks;
import java.util.List;
import java.util.Map;

/**
 * Parameters of {@link TabularClassifier} and {@link TabularRegressor}.
 *
 * @param trainingData rows (CSV with a header, JSON or JSON Lines objects) holding the target and feature columns
 * @param target the column to predict
 * @param categoricalColumns columns to treat as categories although their values look numeric
 * @param ignoreColumns columns to leave out, such as ids
 * @param epochs passes over the training rows
 * @param learningRate AdaGrad's initial learning rate
 * @param seed the seed for the validation split and Tribuo's shuffling
 * @param validationSplit the fraction of rows held out to measure the model after each epoch
 * @param checkpointEvery how many epochs pass between checkpoints (the last epoch is always checkpointed)
 */
public record TabularParams(
        @Param(
                required = true,
                description =
                        "Rows holding the target and feature columns (CSV with a header, JSON " + "or JSON Lines)")
        DataStream<Map<String, Object>> trainingData,

        @Param(required = true, description = "The column to predict")
        String target,

        @Param(defaultValue = "[]", description = "Columns to treat as categories although their values look numeric")
        List<String> categoricalColumns,

        @Param(defaultValue = "[]", description = "Columns to leave out, such as ids")
        List<String> ignoreColumns,

        @Param(defaultValue = "30", description = "Passes over the training rows")
        int epochs,

        @Param(defaultValue = "0.1", description = "AdaGrad's initial learning rate")
        double learningRate,

        @Param(defaultValue = "42", description = "Seed for the validation split and Tribuo's shuffling")
        long seed,

        @Param(
                defaultValue = "0.2",
                description = "Fraction of the rows held out to measure the model after each " + "epoch")
        double validationSplit,

        @Param(
                defaultValue = "1",
                description = "Epochs between checkpoints; a retried or resumed training continues from the latest "
                        + "(the last epoch is always checkpointed)")
        int checkpointEvery) {

    public TabularParams {
        categoricalColumns = categoricalColumns == null ? List.of() : List.copyOf(categoricalColumns);
        ignoreColumns = ignoreColumns == null ? List.of() : List.copyOf(ignoreColumns);
    }

    /** Parameters with every default, the given rows and target. */
    public static TabularParams of(DataStream<Map<String, Object>> trainingData, String target) {
        return new TabularParams(trainingData, target, List.of(), List.of(), 30, 0.1, 42, 0.2, 1);
    }

    public TabularParams withEpochs(int value) {
        return new TabularParams(
                trainingData,
                target,
                categoricalColumns,
                ignoreColumns,
                value,
                learningRate,
                seed,
                validationSplit,
                checkpointEvery);
    }

    public TabularParams withLearningRate(double value) {
        return new TabularParams(
                trainingData,
                target,
                categoricalColumns,
                ignoreColumns,
                epochs,
                value,
                seed,
                validationSplit,
                checkpointEvery);
    }

    public TabularParams withCategoricalColumns(List<String> value) {
        return new TabularParams(
                trainingData,
                target,
                value,
                ignoreColumns,
                epochs,
                learningRate,
                seed,
                validationSplit,
                checkpointEvery);
    }

    public TabularParams withIgnoreColumns(List<String> value) {
        return new TabularParams(
                trainingData,
                target,
                categoricalColumns,
                value,
                epochs,
                learningRate,
                seed,
                validationSplit,
                checkpointEvery);
    }

    public TabularParams withTarget(String value) {
        return new TabularParams(
                trainingData,
                value,
                categoricalColumns,
                ignoreColumns,
                epochs,
                learningRate,
                seed,
                validationSplit,
                checkpointEvery);
    }

    public TabularParams withCheckpointEvery(int value) {
        return new TabularParams(
                trainingData,
                target,
                categoricalColumns,
                ignoreColumns,
                epochs,
                learningRate,
                seed,
                validationSplit,
                value);
    }

    /**
     * Checks what can be checked without reading the data.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the parameter at fault
     */
    void validate() {
        ParamChecks.present("training_data", trainingData);
        ParamChecks.present("target", target);
        ParamChecks.between("epochs", epochs, 1, 100_000);
        ParamChecks.positive("learning_rate", learningRate);
        ParamChecks.fraction("validation_split", validationSplit);
        ParamChecks.atLeast("checkpoint_every", checkpointEvery, 1);
        if (ignoreColumns.contains(target)) {
            throw dev.kiln.error.KilnException.invalidArgument(
                    "Parameter 'ignore_columns' names the target column '" + target + "'");
        }
    }
}
