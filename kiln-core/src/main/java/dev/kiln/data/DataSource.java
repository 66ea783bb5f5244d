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
     * Parses a data stream source in any form caikit takes: the flat forms of its HTTP server ({@code {"data": […]}},
     * {@code {"filename": …}}, {@code {"files": […]}}, {@code {"dirname": …, "extension": …}}) and the gRPC JSON
     * forms ({@code {"jsondata": {"data": […]}}}, {@code {"file": {"filename": …}}},
     * {@code {"list_of_files": {"files": […]}}}, {@code {"directory": {"dirname": …, "extension": …}}}).
     *
     * @throws KilnException INVALID_ARGUMENT naming what is wrong
     */
    static DataSource fromJson(JsonNode node) {
        if (node != null && node.isObject() && node.has("dirname") && !node.has("directory")) {
            return directory(node, "data_stream");
        }
        if (node == null || !node.isObject() || node.size() != 1) {
            throw KilnException.invalidArgument("A data stream must be an object with exactly one of 'data',"
                    + " 'filename', 'files' or 'dirname' (with 'extension'), or caikit's gRPC forms 'jsondata',"
                    + " 'file', 'list_of_files' or 'directory'; got " + node);
        }
        String kind = node.fieldNames().next();
        JsonNode body = node.get(kind);
        return switch (kind) {
            case "data" -> inline(body, "data_stream.data");
            case "jsondata" -> inline(body == null ? null : body.get("data"), "data_stream.jsondata.data");
            case "filename" -> new File(text(node, "data_stream", "filename"));
            case "file" -> new File(text(body, "data_stream.file", "filename"));
            case "files" -> files(body, "data_stream.files");
            case "list_of_files" -> files(body == null ? null : body.get("files"), "data_stream.list_of_files.files");
            case "directory" -> directory(body, "data_stream.directory");
            default ->
                throw KilnException.invalidArgument("Unknown data stream kind '" + kind + "'; expected 'data',"
                        + " 'filename', 'files', 'dirname', 'jsondata', 'file', 'list_of_files' or 'directory'");
        };
    }

    private static DataSource inline(JsonNode body, String where) {
        if (body == null || !body.isArray()) {
            throw KilnException.invalidArgument(where + " must be an array");
        }
        List<JsonNode> items = new ArrayList<>();
        body.forEach(items::add);
        return new Inline(items);
    }

    private static DataSource files(JsonNode files, String where) {
        if (files == null || !files.isArray() || files.isEmpty()) {
            throw KilnException.invalidArgument(where + " must be a non-empty array");
        }
        List<String> names = new ArrayList<>();
        for (JsonNode f : files) {
            if (!f.isTextual()) {
                throw KilnException.invalidArgument(where + " must hold strings");
            }
            names.add(f.asText());
        }
        return new ListOfFiles(names);
    }

    private static DataSource directory(JsonNode body, String where) {
        if (body != null && body.isObject()) {
            body.fieldNames().forEachRemaining(f -> {
                if (!f.equals("dirname") && !f.equals("extension")) {
                    throw KilnException.invalidArgument(
                            "Unknown field '" + f + "' in " + where + "; expected 'dirname' and 'extension'");
                }
            });
        }
        String dir = text(body, where, "dirname");
        JsonNode ext = body.get("extension");
        return new Directory(dir, ext == null || ext.isNull() || ext.asText().isBlank() ? "json" : ext.asText());
    }

    private static String text(JsonNode body, String where, String field) {
        JsonNode value = body == null ? null : body.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw KilnException.invalidArgument(where + "." + field + " must be a non-empty string");
        }
        return value.asText();
    }
}
