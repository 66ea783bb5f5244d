package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.console.Formats;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
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
            "Predict with a saved model.",
            "--input-file holds one JSON object per line: {\"text\": ...} for text models, a row object for tabular "
                    + "ones; extra fields such as a label are ignored."
        })
public final class PredictCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", paramLabel = "DIR", required = true, description = "A saved model directory.")
    private Path model;

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
        Path dir = root.environment().resolve(model);
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
