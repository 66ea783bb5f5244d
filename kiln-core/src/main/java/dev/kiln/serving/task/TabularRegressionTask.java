package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/** Kiln's {@code TabularRegressionTask}: the input is one row, an object of column values; the answer is
 * {@code {"value": number}}. */
public final class TabularRegressionTask implements TaskSpec {
    @Override
    public String name() {
        return "TabularRegressionTask";
    }

    @Override
    public String moduleTask() {
        return "TabularRegression";
    }

    @Override
    public JsonNode modelInput(JsonNode inputs) {
        return Rows.row(inputs, name());
    }

    @Override
    public JsonNode answer(JsonNode output) {
        return JsonNodeFactory.instance.objectNode().set("value", output.path("value"));
    }
}
