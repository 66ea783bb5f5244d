package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.data.DataSource;
import dev.kiln.error.KilnException;
import dev.kiln.json.Parameters;
import dev.kiln.module.ParameterSpec;
import java.util.function.UnaryOperator;

/**
 * Confines the paths inside training parameters at the edge: data stream descriptors (caikit's
 * {@code {"data_stream": …}} wrapper or bare) are resolved inside {@code data_streams.file_source_base}, and models
 * given by {@code model_path} inside the output directory. The parameters are rewritten with absolute paths, so
 * the training (in any process) reads exactly what was checked.
 */
final class ParameterPaths {
    private final SubmissionPolicy policy;

    ParameterPaths(SubmissionPolicy policy) {
        this.policy = policy;
    }

    /**
     * A copy of {@code parameters} with every data and model path resolved.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter and the path at fault
     */
    ObjectNode confine(Class<?> parametersType, ObjectNode parameters, String moduleName) {
        ObjectNode out = parameters.deepCopy();
        for (ParameterSpec spec : Parameters.specs(parametersType)) {
            JsonNode value = out.get(spec.name());
            if (value == null || value.isNull()) {
                continue;
            }
            UnaryOperator<JsonNode> confine = switch (spec.type()) {
                case "data_stream" -> v -> stream(v);
                case "model" -> v -> model(v);
                case "array" -> spec.javaType().contains("dev.kiln.data.DataStream") ? v -> streams(v) : null;
                default -> null;
            };
            if (confine == null) {
                continue;
            }
            try {
                out.set(spec.name(), confine.apply(value));
            } catch (KilnException e) {
                throw KilnException.invalidArgument("Invalid value for parameter '" + spec.name() + "' of module "
                        + moduleName + ": " + e.getMessage());
            }
        }
        return out;
    }

    private JsonNode stream(JsonNode value) {
        JsonNode descriptor =
                value.isObject() && value.size() == 1 && value.has("data_stream") ? value.get("data_stream") : value;
        return policy.dataFiles().resolve(DataSource.fromJson(descriptor)).toJson();
    }

    private JsonNode streams(JsonNode value) {
        if (!value.isArray()) {
            return value;
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        value.forEach(item -> out.add(stream(item)));
        return out;
    }

    private JsonNode model(JsonNode value) {
        if (!value.isObject() || !value.hasNonNull("model_path")) {
            return value;
        }
        JsonNode path = value.get("model_path");
        if (!path.isTextual()) {
            throw KilnException.invalidArgument("model_path must be a string");
        }
        ObjectNode out = ((ObjectNode) value).deepCopy();
        out.put(
                "model_path",
                ConfinedPaths.resolve(policy.outputDir(), path.asText(), "model_path", "runtime.training.output_dir")
                        .toString());
        return out;
    }

    /**
     * The parameters as the journal keeps them: defaults filled in, and inline model bytes left out (they can be
     * megabytes and the model is not needed to show the training).
     */
    static ObjectNode forRecord(Class<?> parametersType, ObjectNode confined) {
        ObjectNode out = confined.deepCopy();
        for (ParameterSpec spec : Parameters.specs(parametersType)) {
            JsonNode value = out.get(spec.name());
            if ((value == null || value.isNull()) && spec.defaultValue() != null) {
                out.set(spec.name(), spec.defaultValue());
            } else if ("model".equals(spec.type()) && value != null && value.hasNonNull("model_bytes")) {
                out.putObject(spec.name())
                        .put(
                                "model_bytes",
                                "(" + value.get("model_bytes").asText().length() + " base64 characters, not kept)");
            }
        }
        return out;
    }
}
