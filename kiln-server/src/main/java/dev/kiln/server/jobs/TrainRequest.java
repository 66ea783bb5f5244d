package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * A training request as caikit's runtime takes it ({@code model_name}, {@code output_path}, {@code parameters}),
 * plus Kiln's optional {@code training_id} (an external id; a retry after failure reuses it), {@code trainer} and
 * {@code priority} and {@code max_retries}.
 *
 * @param modelName the model name, appended to the save path
 * @param outputPath a directory under the server's output directory, or null for the output directory itself
 * @param parameters the module's training parameters
 * @param trainingId the id to train under, or null for a generated one
 * @param trainer the trainer instance to run on, or null for {@code default}
 * @param priority its place in the trainer's queue: higher starts first, equal ones in order of submission (0 when
 *     not given)
 * @param maxRetries how many times the training may be retried after a failure of its infrastructure, or null for
 *     the trainer's {@code max_retries}
 */
public record TrainRequest(
        String modelName,
        String outputPath,
        ObjectNode parameters,
        String trainingId,
        String trainer,
        int priority,
        Integer maxRetries) {
    private static final List<String> FIELDS =
            List.of("model_name", "output_path", "parameters", "training_id", "trainer", "priority", "max_retries");

    /** A request with the default priority, 0. */
    public TrainRequest(String modelName, String outputPath, ObjectNode parameters, String trainingId, String trainer) {
        this(modelName, outputPath, parameters, trainingId, trainer, 0, null);
    }

    /** A request that leaves {@code max_retries} to the trainer. */
    public TrainRequest(
            String modelName,
            String outputPath,
            ObjectNode parameters,
            String trainingId,
            String trainer,
            int priority) {
        this(modelName, outputPath, parameters, trainingId, trainer, priority, null);
    }

    /** The longest model name or training id, in UTF-8 bytes: one path segment on common file systems. */
    public static final int MAX_SEGMENT_BYTES = 255;

    /** The longest output path, in UTF-8 bytes: a path on Linux. */
    public static final int MAX_PATH_BYTES = 4096;

    /**
     * Reads a request body.
     *
     * @throws KilnException INVALID_ARGUMENT naming the field at fault, or refusing an S3 {@code output_path}
     */
    public static TrainRequest fromJson(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw KilnException.invalidArgument(
                    "The training request must be a JSON object with model_name and" + " parameters");
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!FIELDS.contains(field)) {
                throw KilnException.invalidArgument("Unknown field '" + field + "' in the training request; known"
                        + " fields: " + String.join(", ", FIELDS));
            }
        }
        String modelName = text(body, "model_name");
        if (modelName == null || modelName.isBlank()) {
            throw KilnException.invalidArgument("model_name is required: a non-empty string naming the model");
        }
        return new TrainRequest(
                segment("model_name", modelName),
                outputPath(body.get("output_path")),
                parameters(body.get("parameters")),
                segment("training_id", text(body, "training_id")),
                text(body, "trainer"),
                priority(body.get("priority")),
                maxRetries(body.get("max_retries")));
    }

    private static int priority(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (!node.isIntegralNumber() || !node.canConvertToInt()) {
            throw KilnException.invalidArgument("priority must be a whole number from " + Integer.MIN_VALUE + " to "
                    + Integer.MAX_VALUE + " (higher starts first); got " + node);
        }
        return node.intValue();
    }

    private static Integer maxRetries(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber() || !v.canConvertToInt() || v.asInt() < 0) {
            throw KilnException.invalidArgument(
                    "max_retries must be a whole number of at least 0 (how many times to retry); got " + v);
        }
        return v.asInt();
    }

    private static String outputPath(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (node.isObject() || (node.isTextual() && node.asText().regionMatches(true, 0, "s3://", 0, 5))) {
            throw KilnException.invalidArgument("output_path names S3 storage, which this server does not support"
                    + " (S3 output path not supported by this runtime); give a directory relative to"
                    + " runtime.training.output_dir");
        }
        if (!node.isTextual() || node.asText().isBlank()) {
            throw KilnException.invalidArgument("output_path must be a non-empty string; got " + node);
        }
        String path = node.asText();
        if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
            throw KilnException.invalidArgument(
                    "output_path is longer than " + MAX_PATH_BYTES + " bytes: '" + shortened(path) + "'");
        }
        return path;
    }

    /**
     * Checks a value that becomes one segment of the save path (and of status URLs): valid text, no separators or
     * control characters, at most {@value #MAX_SEGMENT_BYTES} bytes.
     */
    private static String segment(String field, String value) {
        if (value == null) {
            return null;
        }
        String shown = shortened(value);
        if (!NoFollowPaths.isWellFormed(value)) {
            throw KilnException.invalidArgument(
                    "Invalid " + field + " '" + shown + "': it contains an unpaired surrogate (not valid Unicode)");
        }
        if (value.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
            throw KilnException.invalidArgument("Invalid " + field + " '" + shown + "': it is longer than "
                    + MAX_SEGMENT_BYTES + " bytes in UTF-8");
        }
        if (value.isBlank()
                || value.contains("/")
                || value.contains("\\")
                || value.equals(".")
                || value.equals("..")
                || value.chars().anyMatch(Character::isISOControl)) {
            throw KilnException.invalidArgument("Invalid " + field + " '" + shown
                    + "': it must be a single non-empty path segment without control characters");
        }
        return value;
    }

    /** The value for a message: control characters and unpaired surrogates escaped, at most 64 characters. */
    private static String shortened(String value) {
        String shown = NoFollowPaths.printable(value);
        return shown.length() <= 64 ? shown : shown.substring(0, 64) + "… (" + value.length() + " characters)";
    }

    private static ObjectNode parameters(JsonNode node) {
        if (node == null || node.isNull()) {
            return JsonNodeFactory.instance.objectNode();
        }
        if (!node.isObject()) {
            throw KilnException.invalidArgument("parameters must be a JSON object of the module's training"
                    + " parameters; got " + node.getNodeType().name().toLowerCase(Locale.ROOT));
        }
        return (ObjectNode) node;
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw KilnException.invalidArgument(field + " must be a string; got " + v);
        }
        return v.asText();
    }
}
