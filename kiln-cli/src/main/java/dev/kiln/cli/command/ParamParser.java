package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.cli.client.ModuleView;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ParameterSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Builds a module's JSON parameters from the command line: a {@code --params} file, then each {@code --param
 * key=value} converted by the parameter's type, then {@code --data FILE} as the training data stream. For a local
 * training, data and model paths are made absolute and data files must exist; for a server they are sent as given,
 * for the server to resolve against its own directories (and to refuse if they lead out of them).
 */
final class ParamParser {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final ModuleView module;
    private final UnaryOperator<Path> resolve;
    private final boolean localFiles;

    /**
     * @param resolve turns a path from the command line into an absolute one
     * @param localFiles whether the training reads this machine's files (else a server's, named as given)
     */
    ParamParser(ModuleView module, UnaryOperator<Path> resolve, boolean localFiles) {
        this.module = module;
        this.resolve = resolve;
        this.localFiles = localFiles;
    }

    /**
     * The parameters JSON.
     *
     * @throws KilnException NOT_FOUND for a missing file, INVALID_ARGUMENT naming a malformed pair, an unknown
     *     parameter or a value of the wrong type
     */
    ObjectNode parse(Path paramsFile, List<String> pairs, Path dataFile) {
        ObjectNode json = paramsFile == null ? NODES.objectNode() : readParamsFile(resolve.apply(paramsFile));
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw KilnException.invalidArgument("--param expects KEY=VALUE; got '" + pair + "'");
            }
            String key = pair.substring(0, eq).trim();
            ParameterSpec spec = module.parameter(key)
                    .orElseThrow(() -> KilnException.invalidArgument(
                            "Unknown parameter '" + key + "' for module " + module.name() + "; known parameters: "
                                    + String.join(
                                            ", ",
                                            module.parameters().stream()
                                                    .map(ParameterSpec::name)
                                                    .toList())));
            json.set(key, convert(spec, pair.substring(eq + 1)));
        }
        if (dataFile != null) {
            ParameterSpec data = module.trainingDataParameter()
                    .orElseThrow(() -> KilnException.invalidArgument(
                            "--data: module " + module.name() + " takes no training data stream"));
            json.set(data.name(), fileSource(dataFile));
        }
        return json;
    }

    private static ObjectNode readParamsFile(Path file) {
        if (!Files.isRegularFile(file)) {
            throw KilnException.notFound("Parameters file not found: " + file);
        }
        try {
            JsonNode node = KilnJson.strict().readTree(file.toFile());
            if (node == null || !node.isObject()) {
                throw KilnException.invalidArgument("Parameters file " + file + " must hold a JSON object");
            }
            return (ObjectNode) node;
        } catch (IOException e) {
            throw KilnException.invalidArgument(
                    "Parameters file " + file + " is not valid JSON: " + firstLine(e.getMessage()));
        }
    }

    /** A value given as text, converted to the JSON the parameter's type expects. */
    JsonNode convert(ParameterSpec spec, String text) {
        String value = text.trim();
        try {
            return switch (spec.type()) {
                case "integer" -> LongNode.valueOf(Long.parseLong(value));
                case "number" -> DoubleNode.valueOf(finite(Double.parseDouble(value)));
                case "boolean" -> bool(value).orElseThrow(NumberFormatException::new);
                case "string" -> TextNode.valueOf(text);
                case "array" -> value.startsWith("[") ? json(value) : list(value);
                case "data_stream" -> value.startsWith("{") ? json(value) : fileSource(Path.of(value));
                case "model" ->
                    value.startsWith("{")
                            ? json(value)
                            : NODES.objectNode()
                                    .put(
                                            "model_path",
                                            localFiles
                                                    ? resolve.apply(Path.of(value))
                                                            .toString()
                                                    : value);
                default -> json(value);
            };
        } catch (NumberFormatException | IOException e) {
            throw KilnException.invalidArgument("--param " + spec.name() + "=" + text + ": expected "
                    + article(spec.type()) + " " + spec.type().replace('_', ' '));
        }
    }

    private ObjectNode fileSource(Path file) {
        if (!localFiles) {
            return serverFileSource(file);
        }
        Path absolute = resolve.apply(file);
        if (!Files.exists(absolute)) {
            throw KilnException.notFound("Data file not found: " + absolute);
        }
        String name = absolute.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isDirectory(absolute)) {
            throw KilnException.invalidArgument(
                    "Data file " + absolute + " is a directory; pass a .jsonl, .json or " + ".csv file");
        }
        if (!hasDataExtension(name)) {
            throw KilnException.invalidArgument(
                    "Data file " + absolute + " has an unknown extension; use .jsonl, .json or .csv");
        }
        ObjectNode source = NODES.objectNode();
        source.putObject("file").put("filename", absolute.toString());
        return source;
    }

    /** A data file at the server, named as given: the server resolves it against its data directory. */
    private ObjectNode serverFileSource(Path file) {
        if (!hasDataExtension(
                file.getFileName() == null ? "" : file.getFileName().toString())) {
            throw KilnException.invalidArgument(
                    "Data file " + file + " has an unknown extension; use .jsonl, .json" + " or .csv");
        }
        ObjectNode source = NODES.objectNode();
        source.putObject("file").put("filename", file.toString());
        return source;
    }

    private static boolean hasDataExtension(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".jsonl") || name.endsWith(".ndjson") || name.endsWith(".json") || name.endsWith(".csv");
    }

    private static Optional<JsonNode> bool(String value) {
        if (value.equalsIgnoreCase("true")) {
            return Optional.of(BooleanNode.TRUE);
        } else if (value.equalsIgnoreCase("false")) {
            return Optional.of(BooleanNode.FALSE);
        }
        return Optional.empty();
    }

    private static double finite(double d) {
        if (Double.isNaN(d) || Double.isInfinite(d)) {
            throw new NumberFormatException();
        }
        return d;
    }

    private static JsonNode json(String value) throws IOException {
        return KilnJson.strict().readTree(value);
    }

    private static ArrayNode list(String value) {
        ArrayNode array = NODES.arrayNode();
        for (String item : value.split(",", -1)) {
            if (!item.isBlank()) {
                array.add(item.trim());
            }
        }
        return array;
    }

    private static String article(String type) {
        return "aeiou".indexOf(type.charAt(0)) >= 0 ? "an" : "a";
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return s == null ? "" : nl < 0 ? s : s.substring(0, nl);
    }
}
