package dev.kiln.slurm.jobdir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.job.JobError;
import dev.kiln.json.KilnJson;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** One line of the worker's {@code events.jsonl}. Timestamps are null when the worker gave none Kiln can read. */
public sealed interface WorkerEvent {
    /** When the worker wrote the event, or null. */
    Instant timestamp();

    /** Whether this event ends the training. */
    default boolean isTerminal() {
        return false;
    }

    /** The worker started, as process {@code pid}. */
    record Started(long pid, Instant timestamp) implements WorkerEvent {
    }

    /** The module reported progress. */
    record Progressed(long step, long total, Map<String, Double> metrics, Instant timestamp) implements WorkerEvent {
        public Progressed {
            metrics = Map.copyOf(metrics);
        }
    }

    /** Training finished and the model, if there was a save path, is saved there. */
    record Completed(String savePath, Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /** Training failed with this error. */
    record Failed(JobError error, Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /** The worker stopped after SIGTERM. */
    record Cancelled(Instant timestamp) implements WorkerEvent {
        @Override
        public boolean isTerminal() {
            return true;
        }
    }

    /**
     * Reads one line; a line of a type Kiln does not know gives nothing, so newer workers can add types.
     *
     * @throws IllegalArgumentException if the line is not a JSON object with a {@code type}
     */
    static Optional<WorkerEvent> parse(String line) {
        JsonNode json;
        try {
            json = KilnJson.data().readTree(line);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (json == null || !json.isObject() || !json.path("type").isTextual()) {
            throw new IllegalArgumentException("not a JSON object with a type");
        }
        Instant at = instant(json.path("timestamp"));
        return Optional.ofNullable(switch (json.path("type").asText()) {
            case "started" -> new Started(json.path("pid").asLong(-1), at);
            case "progress" -> new Progressed(json.path("step").asLong(), json.path("total").asLong(),
                    metrics(json.path("metrics")), at);
            case "completed" -> new Completed(text(json.path("save_path")), at);
            case "failed" -> new Failed(new JobError(kind(json.path("kind").asText("")),
                    text(json.path("error_type")), text(json.path("message")), text(json.path("stack"))), at);
            case "cancelled" -> new Cancelled(at);
            default -> null;
        });
    }

    private static Map<String, Double> metrics(JsonNode node) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            if (e.getValue().isNumber()) {
                metrics.put(e.getKey(), e.getValue().asDouble());
            }
        });
        return metrics;
    }

    private static JobError.Kind kind(String text) {
        try {
            return JobError.Kind.valueOf(text.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return JobError.Kind.EXCEPTION;
        }
    }

    private static String text(JsonNode node) {
        return node.isNull() || node.isMissingNode() ? null : node.asText();
    }

    private static Instant instant(JsonNode node) {
        if (!node.isTextual()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (DateTimeParseException e) {
            return null;
        }
    }
}
