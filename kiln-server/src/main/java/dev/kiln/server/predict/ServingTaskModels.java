package dev.kiln.server.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.ServedModel;
import dev.kiln.serving.task.TaskSpec;

/**
 * Prediction jobs over the server's {@link ModelServing}: the model is resolved, checked to perform the route's task
 * and loaded when the job is asked for, so those errors come back at once; the job then runs it in caikit's shape.
 */
public final class ServingTaskModels implements TaskModels {
    private final ModelServing serving;

    public ServingTaskModels(ModelServing serving) {
        this.serving = serving;
    }

    @Override
    public Loaded model(String task, String modelId) {
        TaskSpec spec = serving.tasks().byRoute(task);
        ServedModel served = serving.resolve(modelId);
        TaskSpec modelTask = serving.taskOf(served);
        if (!modelTask.name().equals(spec.name())) {
            throw KilnException.invalidArgument("Model '" + modelId + "' performs " + modelTask.name() + ", not "
                    + spec.name() + "; ask /api/v1/task/" + modelTask.routeName());
        }
        serving.load(modelId);
        return new Loaded() {
            @Override
            public Object input(JsonNode inputs) {
                spec.modelInput(inputs);
                return inputs;
            }

            @Override
            public Object run(Object input) {
                return serving.predict(spec, modelId, (JsonNode) input);
            }

            @Override
            public ServedModel served() {
                return served;
            }
        };
    }
}
