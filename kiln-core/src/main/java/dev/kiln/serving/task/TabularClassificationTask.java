package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Kiln's {@code TabularClassificationTask}: the input is one row, an object of column values; the answer is caikit's
 * {@code ClassificationResults}.
 */
public final class TabularClassificationTask implements TaskSpec {
    @Override
    public String name() {
        return "TabularClassificationTask";
    }

    @Override
    public String moduleTask() {
        return "TabularClassification";
    }

    @Override
    public JsonNode modelInput(JsonNode inputs) {
        return Rows.row(inputs, name());
    }

    @Override
    public JsonNode answer(JsonNode output) {
        return ClassificationResults.of(output);
    }
}
