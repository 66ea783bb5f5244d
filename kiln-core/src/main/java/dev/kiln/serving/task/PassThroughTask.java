package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;

/** A module task without a registered shape: inputs go to the model as they are, and its output is the answer. */
public record PassThroughTask(String moduleTask) implements TaskSpec {
    @Override
    public String name() {
        return TaskNames.className(moduleTask);
    }

    @Override
    public JsonNode modelInput(JsonNode inputs) {
        return inputs == null ? NullNode.getInstance() : inputs;
    }

    @Override
    public JsonNode answer(JsonNode output) {
        return output;
    }
}
