package dev.kiln.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of one section of configuration, with typed getters whose errors name the full key and the
 * value at fault.
 */
public final class Settings {
    private final String path;
    private final ObjectNode node;

    public Settings(String path, JsonNode node) {
        this.path = path;
        this.node = node instanceof ObjectNode o ? o : JsonNodeFactory.instance.objectNode();
    }

    /** An empty section. */
    public static Settings empty(String path) {
        return new Settings(path, null);
    }

    /** The dotted path of this section, such as {@code model_management.trainers.default.config}. */
    public String path() {
        return path;
    }

    /** The raw JSON of this section. */
    public ObjectNode json() {
        return node.deepCopy();
    }

    /** A nested section. */
    public Settings section(String key) {
        return new Settings(key(key), node.get(key));
    }

    /** Whether the key has a non-null value. */
    public boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** The keys of this section. */
    public List<String> keys() {
        List<String> keys = new ArrayList<>();
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            keys.add(it.next());
        }
        return keys;
    }

    /** The full dotted name of a key. */
    public String key(String key) {
        return path.isEmpty() ? key : path + "." + key;
    }

    public Optional<String> string(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (!v.isValueNode()) {
            throw invalid(key, v, "expected a text value");
        }
        return Optional.of(v.asText());
    }

    public String string(String key, String fallback) {
        return string(key).orElse(fallback);
    }

    public boolean bool(String key, boolean fallback) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return fallback;
        }
        if (v.isBoolean()) {
            return v.booleanValue();
        }
        if (v.isTextual() && (v.asText().equalsIgnoreCase("true") || v.asText().equalsIgnoreCase("false"))) {
            return Boolean.parseBoolean(v.asText());
        }
        throw invalid(key, v, "expected true or false");
    }

    public Optional<Long> integer(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        if (v.canConvertToExactIntegral() && v.isNumber()) {
            return Optional.of(v.asLong());
        }
        if (v.isTextual()) {
            try {
                return Optional.of(Long.parseLong(v.asText().trim()));
            } catch (NumberFormatException e) {
                throw invalid(key, v, "expected a whole number");
            }
        }
        throw invalid(key, v, "expected a whole number");
    }

    /** A whole number at least {@code min}, if set. */
    public Optional<Long> integerAtLeast(String key, long min) {
        Optional<Long> value = integer(key);
        if (value.isPresent() && value.get() < min) {
            throw invalid(key, node.get(key), "expected at least " + min);
        }
        return value;
    }

    /** A number (whole or not) between {@code min} and {@code max} inclusive, if set. */
    public Optional<Double> numberBetween(String key, double min, double max) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        double value;
        if (v.isNumber()) {
            value = v.asDouble();
        } else if (v.isTextual()) {
            try {
                value = Double.parseDouble(v.asText().trim());
            } catch (NumberFormatException e) {
                throw invalid(key, v, "expected a number");
            }
        } else {
            throw invalid(key, v, "expected a number");
        }
        if (!(value >= min && value <= max)) {
            throw invalid(key, v, "expected a number from " + min + " to " + max);
        }
        return Optional.of(value);
    }

    /** A duration in caikit's format ({@code 1d12h3m0.2s}) or ISO-8601; a bare number means seconds. */
    public Optional<Duration> duration(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return Optional.empty();
        }
        try {
            if (v.isNumber()) {
                return Optional.of(DurationFormat.parse(v.asText() + "s"));
            }
            return Optional.of(DurationFormat.parse(v.asText()));
        } catch (IllegalArgumentException e) {
            throw invalid(key, v, "expected a duration like 1d, 2h, 0.01s or 1d12h3m0.2s");
        }
    }

    public Optional<Path> path(String key) {
        return string(key).map(Path::of);
    }

    public List<String> strings(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) {
            return List.of();
        }
        if (v.isTextual()) {
            return v.asText().isBlank() ? List.of() : List.of(v.asText().trim().split("\\s+"));
        }
        if (!v.isArray()) {
            throw invalid(key, v, "expected a list of text values");
        }
        List<String> out = new ArrayList<>();
        v.forEach(item -> out.add(item.asText()));
        return out;
    }

    /** An error that names the key and the value. */
    public KilnException invalid(String key, JsonNode value, String why) {
        return KilnException.invalidArgument(
                "Invalid value '" + (value == null ? "null" : value.asText()) + "' for " + key(key) + ": " + why);
    }
}
