package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;

/** A task's names and shapes: how caikit's request inputs become a model's input, and its output the answer. */
public interface TaskSpec {
    /** caikit's task class name, such as {@code TextClassificationTask}. */
    String name();

    /** The task a module declares in its {@link dev.kiln.module.ModuleInfo}, such as {@code TextClassification}. */
    String moduleTask();

    /**
     * The model's input, as JSON, for a request's {@code inputs}.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the field that does not fit
     */
    JsonNode modelInput(JsonNode inputs);

    /** The answer in the task's output shape for the model's output, as JSON. */
    JsonNode answer(JsonNode output);

    /** The last segment of the inference route, caikit's kebab-case task name: {@code text-classification}. */
    default String routeName() {
        return TaskNames.kebab(name());
    }
}
