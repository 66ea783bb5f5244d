package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ClientTrainRequest;
import dev.kiln.cli.client.ModuleView;
import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingClient;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.Summary;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln train MODULE}: trains a module in the foreground with a live progress bar, then sums up; with
 * {@code --server}, the training runs at a Kiln server and the bar follows its event stream.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Train a module and wait for it, showing progress; Ctrl-C cancels the training.",
            "Without --save-path the model is saved under runtime.training.output_dir (training_output/<id>).",
            "With --server the training runs at the server: --data, --save-path and model paths are sent as "
                    + "given, for the server to resolve against its data_streams.file_source_base and "
                    + "runtime.training.output_dir."
        })
public final class TrainCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "MODULE", description = "The module's name or id (see 'kiln modules').")
    private String module;

    @Option(
            names = "--data",
            paramLabel = "FILE",
            description = "Training data: a .jsonl, .json or .csv file, passed as the training_data stream.")
    private Path data;

    @Option(
            names = {"-p", "--param"},
            paramLabel = "KEY=VALUE",
            description = "A training parameter, converted by its type (repeatable), e.g. --param epochs=10.")
    private List<String> params = new ArrayList<>();

    @Option(
            names = "--params",
            paramLabel = "FILE",
            description = "Training parameters as a JSON object; " + "--param and --data override its keys.")
    private Path paramsFile;

    @Option(names = "--save-path", paramLabel = "DIR", description = "Where to save the model.")
    private Path savePath;

    @Option(names = "--model-name", paramLabel = "NAME", description = "A name appended to the save path.")
    private String modelName;

    @Option(names = "--save-with-id", description = "Append the training id to the save path.")
    private boolean saveWithId;

    @Option(names = "--subprocess", description = "Train in a child JVM (use_subprocess: true).")
    private boolean subprocess;

    @Option(
            names = "--trainer",
            paramLabel = "NAME",
            defaultValue = "default",
            description = "The configured trainer to use (default: ${DEFAULT-VALUE}).")
    private String trainer;

    @Option(
            names = "--detach",
            description =
                    "With --server: print the training id and return at once; the " + "training goes on at the server.")
    private boolean detach;

    @Mixin
    private ServerOptions server;

    @Override
    public Integer call() throws Exception {
        CliEnvironment env = root.environment();
        TrainingClient client = root.client(server);
        if (detach && client.isLocal()) {
            throw KilnException.invalidArgument("--detach needs --server (or KILN_SERVER): a training on this "
                    + "machine lives in this process and ends with it");
        }
        ModuleView view = client.module(module);
        ObjectNode parameters = new ParamParser(view, env::resolve, client.isLocal()).parse(paramsFile, params, data);
        ClientTrainRequest request = client.isLocal()
                ? localRequest(view, parameters, root.config(), env)
                : new ClientTrainRequest(view.name(), parameters, trainer, savePath, saveWithId, modelName, subprocess);
        Training training = client.train(request);
        if (detach) {
            return detached(training.view(), client.where());
        }
        TrainingSnapshot end = new TrainingFollower(
                        spec.commandLine().getErr(),
                        env.interactive() && !root.options().json(),
                        env.clock())
                .follow(training, root::close);
        if (root.options().json()) {
            TrainingJson.printPretty(
                    spec.commandLine().getOut(),
                    TrainingJson.of(end, env.clock().instant()));
        } else {
            Summary.print(spec.commandLine().getOut(), end, env.clock().instant());
        }
        return ExitCodes.of(end.state());
    }

    private int detached(TrainingSnapshot started, String where) {
        PrintWriter out = spec.commandLine().getOut();
        if (root.options().json()) {
            TrainingJson.printPretty(
                    out, TrainingJson.of(started, root.environment().clock().instant()));
        } else {
            String id = started.trainingId();
            out.println("Started training " + id + " at " + where + " (" + started.state() + ")");
            out.println("  follow it      kiln status " + id + " --server " + where);
            out.println("  cancel it      kiln cancel " + id + " --server " + where);
            out.flush();
        }
        return ExitCodes.OK;
    }

    private ClientTrainRequest localRequest(
            ModuleView view, ObjectNode parameters, KilnConfig config, CliEnvironment env) {
        Path target;
        boolean withId = saveWithId;
        if (savePath != null) {
            target = env.resolve(savePath);
        } else {
            Settings training = config.section("runtime.training");
            target = env.resolve(Path.of(training.string("output_dir", "training_output")));
            withId = withId || training.bool("save_with_id", true);
        }
        return new ClientTrainRequest(view.name(), parameters, trainer, target, withId, modelName, subprocess);
    }
}
