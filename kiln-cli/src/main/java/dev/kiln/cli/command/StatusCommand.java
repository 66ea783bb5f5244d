package dev.kiln.cli.command;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.Summary;
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

/** {@code kiln status ID}: one training's state, progress, metrics and save path. */
@Command(
        name = "status",
        mixinStandardHelpOptions = true,
        description = {
            "Show a training's state and latest progress.",
            "Locally this reads the records of trainings run by kiln on this machine; with --server it asks the server "
                    + "(whole ids only)."
        })
public final class StatusCommand implements Callable<Integer> {
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
        TrainingSnapshot view = root.client(server).status(id);
        if (root.options().json()) {
            TrainingJson.printPretty(
                    spec.commandLine().getOut(),
                    TrainingJson.of(view, root.environment().clock().instant()));
        } else {
            Summary.print(
                    spec.commandLine().getOut(),
                    view,
                    root.environment().clock().instant());
        }
        return ExitCodes.OK;
    }
}
