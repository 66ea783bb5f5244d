package dev.kiln.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes worker events as single JSON lines and reads them back strictly: an unknown type, a missing or mistyped
 * field is a {@link ProtocolException}; fields this version does not know are ignored, so later versions may add
 * some.
 */
public final class WorkerEvents {
    private WorkerEvents() {}

    /** The event's {@code type} on the wire, such as {@code started}. */
    public static String typeOf(WorkerEvent event) {
        if (event instanceof WorkerEvent.Ready) {
            return "ready";
        } else if (event instanceof WorkerEvent.Started) {
            return "started";
        } else if (event instanceof WorkerEvent.Progressed) {
            return "progress";
        } else if (event instanceof WorkerEvent.Heartbeat) {
            return "heartbeat";
        } else if (event instanceof WorkerEvent.Completed) {
            return "completed";
        } else if (event instanceof WorkerEvent.Failed) {
            return "failed";
        }
        return "cancelled";
    }

    /** The event as one line of JSON, without the line break. */
    public static String write(WorkerEvent event) {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        if (event instanceof WorkerEvent.Ready e) {
            node.put("type", "ready").put("protocol", e.protocol()).put("pid", e.pid());
        } else if (event instanceof WorkerEvent.Started e) {
            node.put("type", "started")
                    .put("pid", e.pid())
                    .put("timestamp", e.timestamp().toString());
        } else if (event instanceof WorkerEvent.Progressed e) {
            Progress p = e.progress();
            node.put("type", "progress").put("step", p.step()).put("total", p.total());
            ObjectNode metrics = node.putObject("metrics");
            p.metrics().forEach(metrics::put);
            node.put("timestamp", p.timestamp().toString());
        } else if (event instanceof WorkerEvent.Heartbeat e) {
            node.put("type", "heartbeat").put("timestamp", e.timestamp().toString());
        } else if (event instanceof WorkerEvent.Completed e) {
            node.put("type", "completed")
                    .put("save_path", e.savePath() == null ? null : e.savePath().toString())
                    .put("train_ms", e.trainMillis())
                    .put("save_ms", e.saveMillis())
                    .put("timestamp", e.timestamp().toString());
        } else if (event instanceof WorkerEvent.Failed e) {
            JobError error = e.error();
            node.put("type", "failed")
                    .put("kind", error.kind().name())
                    .put("error_type", error.type())
                    .put("message", error.message())
                    .put("stack", error.stackText())
                    .put("timestamp", e.timestamp().toString());
        } else if (event instanceof WorkerEvent.Cancelled e) {
            node.put("type", "cancelled").put("timestamp", e.timestamp().toString());
        }
        try {
            return KilnJson.strict().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write worker event " + event, e);
        }
    }

    /**
     * Reads one event line.
     *
     * @throws ProtocolException saying what is wrong with the line
     */
    public static WorkerEvent parse(String line) throws ProtocolException {
        JsonNode node;
        try {
            node = KilnJson.strict().readTree(line);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("not valid JSON: " + e.getOriginalMessage() + " in " + excerpt(line));
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException("not a JSON object: " + excerpt(line));
        }
        String type = text(node, "type");
        return switch (type) {
            case "ready" -> new WorkerEvent.Ready(integer(node, "protocol"), number(node, "pid"));
            case "started" -> new WorkerEvent.Started(number(node, "pid"), time(node));
            case "progress" ->
                new WorkerEvent.Progressed(
                        new Progress(number(node, "step"), number(node, "total"), metrics(node), time(node)));
            case "heartbeat" -> new WorkerEvent.Heartbeat(time(node));
            case "completed" ->
                new WorkerEvent.Completed(path(node), decimal(node, "train_ms"), decimal(node, "save_ms"), time(node));
            case "failed" ->
                new WorkerEvent.Failed(
                        new JobError(
                                kind(node),
                                text(node, "error_type"),
                                optionalText(node, "message"),
                                optionalText(node, "stack")),
                        time(node));
            case "cancelled" -> new WorkerEvent.Cancelled(time(node));
            default -> throw new ProtocolException("unknown event type '" + type + "'");
        };
    }

    private static String excerpt(String line) {
        return line.length() <= 200 ? "'" + line + "'" : "'" + line.substring(0, 200) + "…'";
    }

    private static JsonNode field(JsonNode node, String name) throws ProtocolException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            throw new ProtocolException("field '" + name + "' is missing from " + excerpt(node.toString()));
        }
        return value;
    }

    private static String text(JsonNode node, String name) throws ProtocolException {
        JsonNode value = field(node, name);
        if (!value.isTextual()) {
            throw new ProtocolException("field '" + name + "' must be a string in " + excerpt(node.toString()));
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String name) throws ProtocolException {
        JsonNode value = node.get(name);
        return value == null || value.isNull() ? "" : text(node, name);
    }

    private static long number(JsonNode node, String name) throws ProtocolException {
        JsonNode value = field(node, name);
        if (!value.canConvertToExactIntegral() || !value.isNumber()) {
            throw new ProtocolException("field '" + name + "' must be a whole number in " + excerpt(node.toString()));
        }
        return value.asLong();
    }

    private static int integer(JsonNode node, String name) throws ProtocolException {
        long value = number(node, name);
        if (value != (int) value) {
            throw new ProtocolException("field '" + name + "' is out of range in " + excerpt(node.toString()));
        }
        return (int) value;
    }

    private static double decimal(JsonNode node, String name) throws ProtocolException {
        JsonNode value = node.get(name);
        if (value == null || value.isNull()) {
            return 0;
        }
        if (!value.isNumber()) {
            throw new ProtocolException("field '" + name + "' must be a number in " + excerpt(node.toString()));
        }
        return value.asDouble();
    }

    private static Instant time(JsonNode node) throws ProtocolException {
        String text = text(node, "timestamp");
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new ProtocolException("field 'timestamp' is not an ISO-8601 instant: '" + text + "'");
        }
    }

    private static Path path(JsonNode node) throws ProtocolException {
        JsonNode value = node.get("save_path");
        if (value == null || value.isNull()) {
            return null;
        }
        try {
            return Path.of(text(node, "save_path"));
        } catch (InvalidPathException e) {
            throw new ProtocolException(
                    "field 'save_path' is not a path (" + e.getReason() + ") in " + excerpt(node.toString()));
        }
    }

    private static JobError.Kind kind(JsonNode node) throws ProtocolException {
        String text = text(node, "kind");
        try {
            return JobError.Kind.valueOf(text);
        } catch (IllegalArgumentException e) {
            throw new ProtocolException("unknown error kind '" + text + "'");
        }
    }

    private static Map<String, Double> metrics(JsonNode node) throws ProtocolException {
        JsonNode value = node.get("metrics");
        Map<String, Double> metrics = new LinkedHashMap<>();
        if (value == null || value.isNull()) {
            return metrics;
        }
        if (!value.isObject()) {
            throw new ProtocolException("field 'metrics' must be an object in " + excerpt(node.toString()));
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> metric = it.next();
            metrics.put(metric.getKey(), metricValue(metric.getKey(), metric.getValue()));
        }
        return metrics;
    }

    /** A metric's value; NaN and the infinities travel as the strings JSON writers use for them. */
    private static double metricValue(String name, JsonNode value) throws ProtocolException {
        if (value.isNumber()) {
            return value.asDouble();
        }
        if (value.isTextual()) {
            switch (value.textValue()) {
                case "NaN" -> {
                    return Double.NaN;
                }
                case "Infinity" -> {
                    return Double.POSITIVE_INFINITY;
                }
                case "-Infinity" -> {
                    return Double.NEGATIVE_INFINITY;
                }
                default -> {}
            }
        }
        throw new ProtocolException("metric '" + name + "' must be a number");
    }
}
