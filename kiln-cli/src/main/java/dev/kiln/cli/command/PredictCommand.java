package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.cli.client.RemoteModels;
import dev.kiln.cli.console.Formats;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.RunnableModel;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.RegressionResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln predict}: runs a saved model on one text or on every line of a JSON Lines file. */
@Command(
        name = "predict",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Predict with a saved model (--model DIR) or with a model a server serves (--model-id ID --server URL).",
            "--input-file holds one JSON object per line: {\"text\": ...} for text models, a row object for tabular "
                    + "ones; extra fields such as a label are ignored."
        })
public final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    /** Exactly one model: a local directory, or an id a server serves. */
    static final class Target {
        @Option(names = "--model", paramLabel = "DIR", description = "A saved model directory, run on this machine.")
        Path dir;

        @Option(
                names = "--model-id",
                paramLabel = "ID",
                description = "A model the server (--server) serves, run there through caikit's inference route.")
        String id;
    }

    @Option(
            names = "--task",
            paramLabel = "TASK",
            description = "With --model-id: the task's route name, such as text-classification (default: the task"
                    + " of the model's module, asked of the server).")
    private String task;

    @Mixin
    private ServerOptions server;

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Input input;

    /** Exactly one source of inputs. */
    static final class Input {
        @Option(names = "--text", paramLabel = "TEXT", description = "One text to classify.")
        String text;

        @Option(names = "--input-file", paramLabel = "FILE", description = "A .jsonl file of inputs, one per line.")
        Path file;
    }

    @Override
    public Integer call() throws IOException {
        Optional<URI> url = server.url(root.environment().env());
        if (target.id != null) {
            if (url.isEmpty()) {
                throw KilnException.invalidArgument("--model-id names a model a server serves; give the server with"
                        + " --server URL (or KILN_SERVER), or run a local model with --model DIR");
            }
            return remote(RemoteModels.connect(
                    url.get(), server.token(root.environment().env())));
        }
        if (server.given()) {
            throw KilnException.invalidArgument(
                    "--model runs a local model directory; to run a model the server serves, use --model-id ID");
        }
        if (task != null) {
            throw KilnException.invalidArgument("--task goes with --model-id; a local model knows its own task");
        }
        Path dir = root.environment().resolve(target.dir);
        Model loaded = ModelFormat.load(dir);
        if (!(loaded instanceof RunnableModel<?, ?> runnable)) {
            throw KilnException.failedPrecondition(
                    "Model at " + dir + " (module " + loaded.module().name() + ") cannot make predictions");
        }
        PrintWriter out = spec.commandLine().getOut();
        if (input.text != null) {
            if (!takesText(runnable.inputType())) {
                throw KilnException.invalidArgument("Model at " + dir + " (module "
                        + loaded.module().name() + ") reads table rows, not text; pass them with --input-file");
            }
            print(out, predict(runnable, KilnJson.strict().createObjectNode().put("text", input.text)));
            return ExitCodes.OK;
        }
        Path file = root.environment().resolve(input.file);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(file, lineNo, line);
                try {
                    print(out, predict(runnable, node));
                } catch (KilnException e) {
                    throw KilnException.invalidArgument(file + " line " + lineNo + ": " + e.getMessage());
                }
            }
        } catch (NoSuchFileException e) {
            throw KilnException.notFound("Input file not found: " + file);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** Runs the model on the server: caikit's inference route, one request per input. */
    private int remote(RemoteModels models) throws IOException {
        String route = task != null ? task : models.taskOf(target.id);
        boolean text = RemoteModels.takesText(route);
        PrintWriter out = spec.commandLine().getOut();
        if (input.text != null) {
            if (!text) {
                throw KilnException.invalidArgument("Model " + target.id + " (task " + route
                        + ") reads table rows, not text; pass them with --input-file");
            }
            printRemote(out, models.predict(route, target.id, TextNode.valueOf(input.text)));
            return ExitCodes.OK;
        }
        Path file = root.environment().resolve(input.file);
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNo = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode node = parse(file, lineNo, line);
                JsonNode inputs = text ? node.get("text") : node;
                if (inputs == null || (text && !inputs.isTextual())) {
                    throw KilnException.invalidArgument(file + " line " + lineNo + ": expected {\"text\": ...}");
                }
                try {
                    printRemote(out, models.predict(route, target.id, inputs));
                } catch (KilnException e) {
                    throw new KilnException(e.code(), file + " line " + lineNo + ": " + e.getMessage(), e);
                }
            }
        } catch (NoSuchFileException e) {
            throw KilnException.notFound("Input file not found: " + file);
        }
        out.flush();
        return ExitCodes.OK;
    }

    /** caikit's classification answer as a local one prints; any other answer as its JSON. */
    private void printRemote(PrintWriter out, JsonNode answer) {
        JsonNode results = answer.path("results");
        if (root.options().json() || !results.isArray() || results.isEmpty()) {
            TrainingJson.print(out, answer);
            return;
        }
        List<JsonNode> sorted = new ArrayList<>();
        results.forEach(sorted::add);
        sorted.sort(Comparator.comparingDouble((JsonNode r) -> r.path("score").asDouble())
                .reversed());
        out.println(sorted.get(0).path("label").asText() + "\t"
                + sorted.stream()
                        .map(r -> r.path("label").asText() + " "
                                + String.format(
                                        Locale.ROOT, "%.4f", r.path("score").asDouble()))
                        .collect(Collectors.joining("  ")));
    }

    private static boolean takesText(Class<?> inputType) {
        return inputType.isRecord()
                && Arrays.stream(inputType.getRecordComponents())
                        .anyMatch(c -> c.getName().equals("text"));
    }

    private static JsonNode parse(Path file, int lineNo, String line) {
        try {
            JsonNode node = KilnJson.data().readTree(line);
            if (!node.isObject()) {
                throw KilnException.invalidArgument(file + " line " + lineNo + ": expected a JSON object");
            }
            return node;
        } catch (IOException e) {
            throw KilnException.invalidArgument(file + " line " + lineNo + ": not valid JSON");
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object predict(RunnableModel runnable, JsonNode node) {
        Object value;
        try {
            value = KilnJson.data().convertValue(node, runnable.inputType());
        } catch (IllegalArgumentException e) {
            throw KilnException.invalidArgument("input does not fit the model: " + e.getMessage());
        }
        return runnable.run(value);
    }

    private void print(PrintWriter out, Object result) {
        if (root.options().json()) {
            TrainingJson.print(out, result);
        } else if (result instanceof ClassificationResult c) {
            out.println(c.label() + "\t"
                    + c.scores().entrySet().stream()
                            .sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                            .map(e -> e.getKey() + " " + String.format(Locale.ROOT, "%.4f", e.getValue()))
                            .collect(Collectors.joining("  ")));
        } else if (result instanceof RegressionResult r) {
            out.println(Formats.number(r.value()));
        } else {
            TrainingJson.print(out, result);
        }
    }
}
