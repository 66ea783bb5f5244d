package dev.kiln.server.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.serving.ServedModel;

/** What prediction jobs need of the serving layer: a served model, loaded, for a task. */
@FunctionalInterface
public interface TaskModels {
    /**
     * The model served as {@code modelId}, loaded, checked to serve {@code task}.
     *
     * @param task the task's route name, such as {@code text-classification}
     * @throws dev.kiln.error.KilnException NOT_FOUND naming an unknown task or model, INVALID_ARGUMENT if the model
     *     serves another task, or as loading it failed
     */
    Loaded model(String task, String modelId);

    /** A loaded model, ready to run. */
    interface Loaded {
        /**
         * The model's input from a request's {@code inputs}.
         *
         * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the field that does not fit
         */
        Object input(JsonNode inputs);

        /** Runs the model on one input made by {@link #input}; the answer is in caikit's shape for the task. */
        Object run(Object input);

        /** Where the model is saved and which module saved it, for a batch that runs it in a child JVM. */
        ServedModel served();
    }
}
