package dev.kiln.modules.tabular;

import dev.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.tribuo.Example;
import org.tribuo.Output;
import org.tribuo.impl.ArrayExample;

/**
 * The columns a tabular model reads and how each becomes features: numeric columns are standardised with the training
 * rows' mean and standard deviation (a missing value counts as the mean), categorical columns become one indicator
 * feature per category seen in training (an unseen or missing category adds none). Saved beside the model.
 *
 * @param target the target column
 * @param columns the feature columns, in order
 * @param targetMean for regression, the training targets' mean (the model predicts standardised targets); else 0
 * @param targetScale for regression, the training targets' standard deviation; else 1
 */
public record TabularSchema(String target, List<Column> columns, double targetMean, double targetScale) {
    /** The feature every row has, so a row whose categories are all unseen still gets a prediction. */
    public static final String CONSTANT_FEATURE = "<row>";

    public TabularSchema {
        Objects.requireNonNull(target, "target");
        columns = List.copyOf(columns);
    }

    /** How a column is read. */
    public enum Kind {
        NUMERIC,
        CATEGORICAL
    }

    /**
     * One feature column.
     *
     * @param name the column name
     * @param kind numeric or categorical
     * @param mean for numeric columns, the training mean
     * @param scale for numeric columns, the training standard deviation (1 when it is 0)
     * @param categories for categorical columns, the categories seen in training, sorted
     */
    public record Column(String name, Kind kind, double mean, double scale, List<String> categories) {
        public Column {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(kind, "kind");
            categories = categories == null ? List.of() : List.copyOf(categories);
        }

        /** Whether the category was seen in training. */
        public boolean knows(String category) {
            return java.util.Collections.binarySearch(categories, category) >= 0;
        }
    }

    /** The target value in its own units for a standardised model output. */
    public double toTargetUnits(double standardised) {
        return standardised * targetScale + targetMean;
    }

    /** A standardised target for a value in its own units. */
    public double toStandardised(double value) {
        return (value - targetMean) / targetScale;
    }

    /**
     * A Tribuo example of the row's features; other columns (the target too) are ignored.
     *
     * @param where where the row comes from, for error messages, such as "Row 12 of parameter 'training_data'"
     * @throws KilnException INVALID_ARGUMENT if a numeric column holds something that is not a number
     */
    public <T extends Output<T>> Example<T> example(Map<String, ?> row, T output, String where) {
        List<String> names = new ArrayList<>(columns.size() + 1);
        List<Double> values = new ArrayList<>(columns.size() + 1);
        for (Column c : columns) {
            Object raw = row.get(c.name());
            if (c.kind() == Kind.NUMERIC) {
                Double v = Cells.number(raw, c.name(), where);
                names.add(c.name());
                values.add(v == null ? 0.0 : (v - c.mean()) / c.scale());
            } else {
                String category = Cells.text(raw);
                if (category != null && c.knows(category)) {
                    names.add(c.name() + "=" + category);
                    values.add(1.0);
                }
            }
        }
        names.add(CONSTANT_FEATURE);
        values.add(1.0);
        return new ArrayExample<>(
                output,
                names.toArray(String[]::new),
                values.stream().mapToDouble(Double::doubleValue).toArray());
    }
}
