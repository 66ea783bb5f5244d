package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A batch prediction a worker runs instead of a training: every record of a data stream through a saved model, one
 * answer per line of the spec's {@code save_path}.
 *
 * @param modelPath the saved model's directory (absolute)
 * @param moduleId the id of the module that saved it
 * @param task the task's route name, such as {@code text-classification}: each record is that task's inputs
 * @param dataStream the records, as a caikit-shaped data stream descriptor with absolute paths
 */
public record BatchSpec(Path modelPath, String moduleId, String task, JsonNode dataStream) {
    public BatchSpec {
        Objects.requireNonNull(modelPath, "modelPath");
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(dataStream, "dataStream");
    }

    ObjectNode toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("model_path", modelPath.toString());
        node.put("task", task);
        node.set("data_stream", dataStream);
        return node;
    }

    /**
     * Reads the spec's {@code predict} object.
     *
     * @throws ProtocolException naming the field at fault
     */
    static BatchSpec parse(JsonNode node, String moduleId, String where) throws ProtocolException {
        if (!node.isObject()) {
            throw new ProtocolException("Field 'predict' of the job spec in " + where + " must be a JSON object");
        }
        JsonNode stream = node.get("data_stream");
        if (stream == null || !stream.isObject()) {
            throw new ProtocolException(
                    "Field 'predict.data_stream' of the job spec in " + where + " must be a JSON object");
        }
        return new BatchSpec(Path.of(text(node, "model_path", where)), moduleId, text(node, "task", where), stream);
    }

    private static String text(JsonNode node, String field, String where) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual() || value.textValue().isEmpty()) {
            throw new ProtocolException(
                    "Field 'predict." + field + "' of the job spec in " + where + " must be a non-empty string");
        }
        return value.textValue();
    }
}
