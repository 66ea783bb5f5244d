package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ClientTrainRequest;
import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingClient;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.Formats;
import dev.kiln.cli.console.Summary;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.modules.ClassificationResult;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.modules.text.TextRecord;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln demo}: trains the TextClassifier on the shipped SpamAssassin e-mails in a child JVM with the progress
 * bar, saves it under {@code ./models/}, and shows its accuracy on held-out e-mails and three example predictions.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train a spam filter on 3,000 real e-mails "
                    + "(SpamAssassin public corpus) in a child JVM, save it to models/spam-demo and try it on e-mails it never "
                    + "saw."
        })
public final class DemoCommand implements Callable<Integer> {
    static final String MODEL_NAME = "spam-demo";

    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--epochs",
            paramLabel = "N",
            defaultValue = "10",
            description = "Passes over the training e-mails " + "(default: ${DEFAULT-VALUE}).")
    private int epochs;

    @Option(
            names = "--save-path",
            paramLabel = "DIR",
            defaultValue = "models",
            description = "Where the model directory " + MODEL_NAME + " is saved (default: ${DEFAULT-VALUE}).")
    private Path savePath;

    @Option(names = "--thread", description = "Train in a thread of this JVM instead of a child JVM.")
    private boolean thread;

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = root.environment();
        PrintWriter out = spec.commandLine().getOut();
        boolean json = root.options().json();
        Path work = Files.createTempDirectory("kiln-demo-");
        try {
            DemoData data = DemoData.prepare(work);
            if (!json) {
                out.println("Kiln demo: a spam filter from real e-mails (SpamAssassin public corpus)");
                out.printf(
                        Locale.ROOT,
                        "  training TextClassifier on %,d e-mails in %s; %,d more are held out%n%n",
                        data.trainCount(),
                        thread ? "a thread of this JVM" : "a child JVM",
                        data.heldOut().size());
                out.flush();
            }
            TrainingClient client = root.client();
            ObjectNode params = KilnJson.strict().createObjectNode();
            params.putObject("training_data")
                    .putObject("file")
                    .put("filename", data.trainFile().toString());
            params.put("epochs", epochs);
            params.put("validation_split", 0.1);
            Training training = client.train(new ClientTrainRequest(
                    "TextClassifier", params, "default", env.resolve(savePath), false, MODEL_NAME, !thread));
            TrainingSnapshot end = new TrainingFollower(
                            spec.commandLine().getErr(), env.interactive() && !json, env.clock())
                    .follow(training, root::close);
            if (end.state() != JobStatus.COMPLETED) {
                if (json) {
                    TrainingJson.printPretty(
                            out, TrainingJson.of(end, env.clock().instant()));
                } else {
                    Summary.print(out, end, env.clock().instant());
                }
                return ExitCodes.of(end.state());
            }
            TextClassifierModel model = (TextClassifierModel) ModelFormat.load(Path.of(end.savePath()));
            long correct = data.heldOut().stream()
                    .filter(r -> model.predict(r.text()).label().equals(r.label()))
                    .count();
            double accuracy = (double) correct / data.heldOut().size();
            if (json) {
                printJson(out, end, data, model, accuracy);
            } else {
                printText(out, end, data, model, correct, accuracy);
            }
            return ExitCodes.OK;
        } finally {
            ModelFormat.deleteRecursively(work);
        }
    }

    private void printText(
            PrintWriter out,
            TrainingSnapshot end,
            DemoData data,
            TextClassifierModel model,
            long correct,
            double accuracy) {
        Summary.print(out, end, root.environment().clock().instant());
        out.println();
        out.printf(
                Locale.ROOT,
                "Held-out accuracy: %.1f%% (%d of %d e-mails the model never saw)%n",
                accuracy * 100,
                correct,
                data.heldOut().size());
        out.println();
        out.println("Three held-out e-mails:");
        for (TextRecord r : data.examples()) {
            ClassificationResult p = model.predict(r.text());
            out.printf(
                    Locale.ROOT,
                    "  %-4s %.3f  (really %-4s)  \"%s\"%n",
                    p.label(),
                    p.scores().get(p.label()),
                    r.label(),
                    Formats.shorten(r.text(), 60));
        }
        out.println();
        out.println("Try it yourself:");
        out.println(
                "  ./kiln predict --model " + root.environment().workingDir().relativize(Path.of(end.savePath()))
                        + " --text \"Congratulations! You have been selected for a FREE cruise\"");
        out.flush();
    }

    private void printJson(
            PrintWriter out, TrainingSnapshot end, DemoData data, TextClassifierModel model, double accuracy) {
        ObjectNode o = TrainingJson.of(end, root.environment().clock().instant());
        o.put("held_out_accuracy", accuracy);
        o.put("held_out_count", data.heldOut().size());
        ArrayNode examples = o.putArray("examples");
        for (TextRecord r : data.examples()) {
            ClassificationResult p = model.predict(r.text());
            ObjectNode e = examples.addObject()
                    .put("text", Formats.shorten(r.text(), 200))
                    .put("actual", r.label())
                    .put("label", p.label());
            ObjectNode scores = e.putObject("scores");
            p.scores().forEach(scores::put);
        }
        TrainingJson.printPretty(out, o);
    }
}
