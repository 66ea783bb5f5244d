package dev.kiln.cli.command;

import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln logs ID}: a training's lifecycle, progress lines, errors with stack traces and worker output. */
@Command(
        name = "logs",
        mixinStandardHelpOptions = true,
        description =
                "Print a training's log: lifecycle and "
                        + "progress lines, errors and the output of its child JVM (with --server, as the server recorded them).")
public final class LogsCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Parameters(index = "0", paramLabel = "ID", description = "The training id (or a unique prefix of it).")
    private String id;

    @Override
    public Integer call() {
        String trainingId = root.client(server).status(id).trainingId();
        String log = root.client(server).logs(trainingId);
        if (root.options().json()) {
            TrainingJson.printPretty(
                    spec.commandLine().getOut(),
                    dev.kiln.json.KilnJson.strict()
                            .createObjectNode()
                            .put("training_id", trainingId)
                            .put("log", log));
        } else {
            spec.commandLine().getOut().print(log);
            spec.commandLine().getOut().flush();
        }
        return ExitCodes.OK;
    }
}
