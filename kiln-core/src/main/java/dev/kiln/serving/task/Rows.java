package dev.kiln.serving.task;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import java.util.Locale;

/** The input of the tabular tasks: one row, a JSON object of column values. */
final class Rows {
    private Rows() {}

    static JsonNode row(JsonNode inputs, String task) {
        if (inputs == null || !inputs.isObject()) {
            throw KilnException.invalidArgument("Field 'inputs' of " + task + " must be one row, an object of column"
                    + " values; got "
                    + (inputs == null ? "nothing" : inputs.getNodeType().name().toLowerCase(Locale.ROOT)));
        }
        return inputs;
    }
}
