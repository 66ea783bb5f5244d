package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.Formats;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.json.KilnJson;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln list}: every known training, newest first. */
@Command(
        name = "list",
        mixinStandardHelpOptions = true,
        description = {
            "List trainings, newest first.",
            "Locally these are the trainings kiln ran on this machine, kept for the default trainer's "
                    + "retention_duration; with --server, every training the server holds."
        })
public final class ListCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Override
    public Integer call() {
        List<TrainingSnapshot> all = root.client(server).list();
        Instant now = root.environment().clock().instant();
        PrintWriter out = spec.commandLine().getOut();
        if (root.options().json()) {
            ArrayNode array = KilnJson.strict().createArrayNode();
            all.forEach(v -> array.add(TrainingJson.of(v, now)));
            TrainingJson.printPretty(out, array);
            return ExitCodes.OK;
        }
        if (all.isEmpty()) {
            out.println("No trainings yet. Start one with: kiln train MODULE --data FILE");
            return ExitCodes.OK;
        }
        String format = "%-36s  %-18s  %-9s  %8s  %-9s  %-8s  %s%n";
        out.printf(format, "TRAINING ID", "MODULE", "STATE", "PRIORITY", "PROGRESS", "TIME", "SAVE PATH");
        for (TrainingSnapshot v : all) {
            String progress = v.progress() == null
                    ? "-"
                    : v.progress().step() + "/" + v.progress().total();
            out.printf(
                    format,
                    v.trainingId(),
                    v.module(),
                    v.state(),
                    v.priority(),
                    progress,
                    Formats.duration(v.duration(now)),
                    v.savePath() == null ? "-" : v.savePath());
        }
        out.flush();
        return ExitCodes.OK;
    }
}
