package dev.kiln.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.KilnException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * Where a data stream's records come from, as a JSON descriptor shaped like caikit's, so a stream can be
 * re-opened in another process: {@code {"data":[…]}}, {@code {"file":{"filename":…}}},
 * {@code {"list_of_files":{"files":[…]}}} or {@code {"directory":{"dirname":…,"extension":…}}}.
 */
public sealed interface DataSource {

    /** Records given inline. */
    record Inline(List<JsonNode> data) implements DataSource {
        public Inline {
            data = List.copyOf(data);
        }
    }

    /** One file, read by its extension (.jsonl, .json or .csv). */
    record File(String filename) implements DataSource {
        public File {
            Objects.requireNonNull(filename, "filename");
        }
    }

    /** Several files, read in order, each by its extension. */
    record ListOfFiles(List<String> files) implements DataSource {
        public ListOfFiles {
            files = List.copyOf(files);
        }
    }

    /** Every file in a directory with the given extension, in name order. */
    record Directory(String dirname, String extension) implements DataSource {
        public Directory {
            Objects.requireNonNull(dirname, "dirname");
            Objects.requireNonNull(extension, "extension");
        }
    }

    /** This source with each file path replaced by {@code resolver}'s answer. */
    default DataSource mapPaths(UnaryOperator<String> resolver) {
        if (this instanceof File f) {
            return new File(resolver.apply(f.filename()));
        } else if (this instanceof ListOfFiles l) {
            return new ListOfFiles(l.files().stream().map(resolver).toList());
        } else if (this instanceof Directory d) {
            return new Directory(resolver.apply(d.dirname()), d.extension());
        }
        return this;
    }

    /** The caikit-shaped JSON descriptor. */
    default JsonNode toJson() {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();
        if (this instanceof Inline i) {
            ArrayNode data = root.putArray("data");
            i.data().forEach(data::add);
        } else if (this instanceof File file) {
            root.putObject("file").put("filename", file.filename());
        } else if (this instanceof ListOfFiles l) {
            ArrayNode files = root.putObject("list_of_files").putArray("files");
            l.files().forEach(files::add);
        } else if (this instanceof Directory d) {
            root.putObject("directory").put("dirname", d.dirname()).put("extension", d.extension());
        }
        return root;
    }

    /**
     * Parses a caikit-shaped descriptor.
     *
     * @throws KilnException INVALID_ARGUMENT naming what is wrong
     */
    static DataSource fromJson(JsonNode node) {
        if (node == null || !node.isObject() || node.size() != 1) {
            throw KilnException.invalidArgument("A data stream must be an object with exactly one of "
                    + "'data', 'file', 'list_of_files' or 'directory'; got " + node);
        }
        String kind = node.fieldNames().next();
        JsonNode body = node.get(kind);
        switch (kind) {
            case "data" -> {
                if (!body.isArray()) {
                    throw KilnException.invalidArgument("data_stream.data must be an array");
                }
                List<JsonNode> items = new ArrayList<>();
                body.forEach(items::add);
                return new Inline(items);
            }
            case "file" -> {
                return new File(text(body, "file", "filename"));
            }
            case "list_of_files" -> {
                JsonNode files = body == null ? null : body.get("files");
                if (files == null || !files.isArray() || files.isEmpty()) {
                    throw KilnException.invalidArgument("data_stream.list_of_files.files must be a non-empty array");
                }
                List<String> names = new ArrayList<>();
                for (JsonNode f : files) {
                    if (!f.isTextual()) {
                        throw KilnException.invalidArgument("data_stream.list_of_files.files must hold strings");
                    }
                    names.add(f.asText());
                }
                return new ListOfFiles(names);
            }
            case "directory" -> {
                String dir = text(body, "directory", "dirname");
                JsonNode ext = body.get("extension");
                return new Directory(dir, ext == null || ext.isNull() ? "json" : ext.asText());
            }
            default ->
                throw KilnException.invalidArgument("Unknown data stream kind '" + kind
                        + "'; expected 'data', 'file', 'list_of_files' or 'directory'");
        }
    }

    private static String text(JsonNode body, String kind, String field) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw KilnException.invalidArgument("data_stream." + kind + "." + field + " must be a non-empty string");
        }
        return value.asText();
    }
}
