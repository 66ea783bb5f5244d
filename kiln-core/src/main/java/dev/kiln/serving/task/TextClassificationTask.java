package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.KilnException;
import java.util.Locale;

/**
 * caikit's {@code TextClassificationTask} ({@code caikit/interfaces/nlp/tasks.py}): one required input
 * {@code text: str}, so a request's {@code inputs} is the text itself; the answer is {@code ClassificationResults}.
 */
public final class TextClassificationTask implements TaskSpec {
    @Override
    public String name() {
        return "TextClassificationTask";
    }

    @Override
    public String moduleTask() {
        return "TextClassification";
    }

    /** Takes the text as caikit sends it, a string; {@code {"text": "..."}} is accepted too. */
    @Override
    public JsonNode modelInput(JsonNode inputs) {
        JsonNode text = inputs;
        if (inputs != null && inputs.isObject()) {
            inputs.fieldNames().forEachRemaining(f -> {
                if (!f.equals("text")) {
                    throw KilnException.invalidArgument(
                            "Unknown field 'inputs." + f + "' for " + name() + "; its only input is 'text', a string");
                }
            });
            text = inputs.get("text");
        }
        if (text == null || !text.isTextual()) {
            throw KilnException.invalidArgument("Field 'inputs' of " + name() + " must be the text to classify, a"
                    + " string; got "
                    + (text == null ? "nothing" : text.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        ObjectNode in = JsonNodeFactory.instance.objectNode();
        in.set("text", text);
        return in;
    }

    @Override
    public JsonNode answer(JsonNode output) {
        return ClassificationResults.of(output);
    }
}
