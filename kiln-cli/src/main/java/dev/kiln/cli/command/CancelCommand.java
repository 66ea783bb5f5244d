package dev.kiln.cli.command;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.job.JobStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln cancel ID}: cancels a running training; an ended one is left as it is. */
@Command(
        name = "cancel",
        mixinStandardHelpOptions = true,
        description = {
            "Cancel a training.",
            "Locally this signals the kiln process running it, which cancels the training cleanly; with --server the "
                    + "server cancels it."
        })
public final class CancelCommand implements Callable<Integer> {
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
        TrainingSnapshot before = root.client(server).status(id);
        TrainingSnapshot after =
                before.state().isTerminal() ? before : root.client(server).cancel(before.trainingId());
        if (root.options().json()) {
            TrainingJson.printPretty(
                    spec.commandLine().getOut(),
                    TrainingJson.of(after, root.environment().clock().instant()));
        } else if (before.state().isTerminal()) {
            spec.commandLine()
                    .getOut()
                    .println("Training " + before.trainingId() + " already ended " + before.state()
                            + "; nothing to cancel");
        } else if (after.state() == JobStatus.CANCELED) {
            spec.commandLine().getOut().println("Cancelled training " + after.trainingId());
        } else {
            spec.commandLine()
                    .getOut()
                    .println("Training " + after.trainingId() + " is " + after.state() + " after the cancel request");
        }
        spec.commandLine().getOut().flush();
        return ExitCodes.OK;
    }
}
