package dev.kiln.modules.tabular;

import dev.kiln.error.KilnException;
import dev.kiln.modules.sgd.HoldOut;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Training rows read and checked, split into training and held-out rows, with the schema learnt from the training
 * rows. Every check here runs before any training work.
 *
 * @param schema how rows become features
 * @param split the training and held-out rows
 */
record TabularData(TabularSchema schema, HoldOut<Map<String, Object>> split) {
    static final String DATA = "parameter 'training_data'";

    /**
     * Reads and checks the rows and learns the schema.
     *
     * @param regression whether the target must be numeric (and is standardised)
     * @throws KilnException INVALID_ARGUMENT naming the parameter, column or row at fault
     */
    static TabularData prepare(TabularParams p, boolean regression) {
        List<Map<String, Object>> rows = new ArrayList<>();
        Set<String> columns = new LinkedHashSet<>();
        for (Map<String, Object> row : p.trainingData()) {
            if (row != null) {
                rows.add(row);
                columns.addAll(row.keySet());
            }
        }
        if (rows.isEmpty()) {
            throw KilnException.invalidArgument("Parameter 'training_data' holds no rows");
        }
        requireColumn("target", p.target(), columns);
        p.categoricalColumns().forEach(c -> requireColumn("categorical_columns", c, columns));
        p.ignoreColumns().forEach(c -> requireColumn("ignore_columns", c, columns));
        checkTargets(rows, p.target(), regression);

        List<String> features = new ArrayList<>(columns);
        features.remove(p.target());
        features.removeAll(p.ignoreColumns());
        if (features.isEmpty()) {
            throw KilnException.invalidArgument(
                    "Parameter 'training_data' has no feature column besides the target '" + p.target() + "'");
        }
        HoldOut<Map<String, Object>> split = HoldOut.split(rows, p.validationSplit(), p.seed());
        List<TabularSchema.Column> schemaColumns = new ArrayList<>();
        for (String name : features) {
            boolean categorical = p.categoricalColumns().contains(name)
                    || rows.stream().anyMatch(r -> !Cells.isNumberOrMissing(r.get(name)));
            schemaColumns.add(
                    categorical ? categoricalColumn(name, split.train()) : numericColumn(name, split.train()));
        }
        double mean = 0;
        double scale = 1;
        if (regression) {
            double[] stats = stats(split.train().stream()
                    .map(r -> Cells.number(r.get(p.target()), p.target(), "A row of " + DATA))
                    .toList());
            mean = stats[0];
            scale = stats[1];
        }
        return new TabularData(new TabularSchema(p.target(), schemaColumns, mean, scale), split);
    }

    private static void requireColumn(String param, String column, Set<String> columns) {
        if (!columns.contains(column)) {
            throw KilnException.invalidArgument("Parameter '" + param + "': column '" + column
                    + "' is not in training_data; its columns are: " + String.join(", ", columns));
        }
    }

    private static void checkTargets(List<Map<String, Object>> rows, String target, boolean regression) {
        Set<String> labels = new TreeSet<>();
        for (int i = 0; i < rows.size(); i++) {
            Object raw = rows.get(i).get(target);
            String where = "Row " + (i + 1) + " of " + DATA;
            if (Cells.text(raw) == null) {
                throw KilnException.invalidArgument(where + " has no value for target column '" + target + "'");
            }
            if (regression) {
                Cells.number(raw, target, where);
            } else {
                labels.add(Cells.text(raw));
            }
        }
        if (!regression && labels.size() < 2) {
            throw KilnException.invalidArgument("Parameter 'training_data' has only one value ('"
                    + labels.iterator().next() + "') in target column '" + target
                    + "'; a classifier needs at least two");
        }
    }

    private static TabularSchema.Column numericColumn(String name, List<Map<String, Object>> rows) {
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < rows.size(); i++) {
            Double v = Cells.number(rows.get(i).get(name), name, "A row of " + DATA);
            if (v != null) {
                values.add(v);
            }
        }
        double[] stats = stats(values);
        return new TabularSchema.Column(name, TabularSchema.Kind.NUMERIC, stats[0], stats[1], List.of());
    }

    private static TabularSchema.Column categoricalColumn(String name, List<Map<String, Object>> rows) {
        Set<String> categories = new TreeSet<>();
        for (Map<String, Object> row : rows) {
            String v = Cells.text(row.get(name));
            if (v != null) {
                categories.add(v);
            }
        }
        return new TabularSchema.Column(name, TabularSchema.Kind.CATEGORICAL, 0, 1, List.copyOf(categories));
    }

    /** Mean and standard deviation (1 when there is no spread), ignoring nulls. */
    private static double[] stats(List<Double> values) {
        double sum = 0;
        int n = 0;
        for (Double v : values) {
            if (v != null) {
                sum += v;
                n++;
            }
        }
        double mean = n == 0 ? 0 : sum / n;
        double sq = 0;
        for (Double v : values) {
            if (v != null) {
                sq += (v - mean) * (v - mean);
            }
        }
        double sd = n == 0 ? 0 : Math.sqrt(sq / n);
        return new double[] {mean, sd > 1e-12 ? sd : 1};
    }
}
