package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ModuleView;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ParameterSpec;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln modules}: the trainable modules with their parameters, types and defaults. */
@Command(
        name = "modules",
        mixinStandardHelpOptions = true,
        description = "List the modules you can train, with their parameters.")
public final class ModulesCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Mixin
    private ServerOptions server;

    @Override
    public Integer call() {
        List<ModuleView> modules = root.client(server).modules();
        PrintWriter out = spec.commandLine().getOut();
        if (root.options().json()) {
            ArrayNode array = KilnJson.strict().createArrayNode();
            for (ModuleView m : modules) {
                ObjectNode o = array.addObject()
                        .put("id", m.id())
                        .put("name", m.name())
                        .put("version", m.version())
                        .put("task", m.task());
                ArrayNode params = o.putArray("parameters");
                for (ParameterSpec p : m.parameters()) {
                    params.addObject()
                            .put("name", p.name())
                            .put("type", p.type())
                            .put("required", p.required())
                            .put("description", p.description())
                            .set("default", p.defaultValue());
                }
            }
            TrainingJson.printPretty(out, array);
            return ExitCodes.OK;
        }
        for (ModuleView m : modules) {
            out.println(m.name() + "  (task " + m.task() + ", version " + m.version() + ", id " + m.id() + ")");
            for (ParameterSpec p : m.parameters()) {
                String def = p.required()
                        ? "required"
                        : p.defaultValue() == null ? "optional" : "default " + p.defaultValue();
                out.printf("  %-20s %-12s %-16s %s%n", p.name(), p.type(), def, p.description());
            }
            out.println();
        }
        out.flush();
        return ExitCodes.OK;
    }
}
