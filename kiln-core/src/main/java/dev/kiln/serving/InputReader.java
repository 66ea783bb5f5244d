package dev.kiln.serving;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.module.RunnableModel;
import java.util.stream.Collectors;

/** Turns JSON inputs into a model's input type, naming the field that does not fit. */
final class InputReader {
    private final ObjectMapper mapper =
            KilnJson.strict().copy().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    ObjectMapper mapper() {
        return mapper;
    }

    /**
     * The model's input for a JSON value.
     *
     * @throws KilnException INVALID_ARGUMENT naming the field
     */
    Object read(JsonNode json, RunnableModel<?, ?> model) {
        try {
            return mapper.treeToValue(json, model.inputType());
        } catch (JsonMappingException e) {
            throw KilnException.invalidArgument(
                    "Field '" + field(e) + "' does not fit the model's input: " + e.getOriginalMessage());
        } catch (Exception e) {
            throw KilnException.invalidArgument("The inputs do not fit the model's input: " + e.getMessage());
        }
    }

    /** The model's input for a typed value: itself if it has the input type, else converted through JSON. */
    Object convert(Object input, RunnableModel<?, ?> model) {
        if (model.inputType().isInstance(input)) {
            return input;
        }
        return read(mapper.valueToTree(input), model);
    }

    private static String field(JsonMappingException e) {
        String path = e.getPath().stream()
                .map(r -> r.getFieldName() != null ? r.getFieldName() : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
        return path.isEmpty() ? "inputs" : "inputs." + path;
    }
}
