package dev.kiln.cli.command;

import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.grpc.KilnSchema;
import dev.kiln.server.grpc.ProtoFiles;
import dev.kiln.server.grpc.ServiceNames;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln protos --out DIR}: writes the {@code .proto} files of the gRPC API that {@code kiln serve} would serve
 * with this configuration and these modules, as caikit's {@code caikit-render-interfaces} does.
 */
@Command(
        name = "protos",
        mixinStandardHelpOptions = true,
        description = {
            "Write the .proto files of Kiln's gRPC API (caikit's services and messages, one training RPC per "
                    + "module) for clients in any language.",
            "The names follow runtime.library / runtime.service_generation.domain and package, as the server's."
        })
public final class ProtosCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--out",
            required = true,
            paramLabel = "DIR",
            description = "The directory to write into (created if missing).")
    private Path out;

    @Override
    public Integer call() {
        KilnSchema schema = KilnSchema.build(ServiceNames.from(root.config()), ModuleRegistry.global());
        List<Path> written = ProtoFiles.write(schema, out);
        PrintWriter pw = spec.commandLine().getOut();
        if (root.options().json()) {
            var files = KilnJson.strict().createArrayNode();
            written.forEach(p -> files.add(p.toString()));
            TrainingJson.print(pw, KilnJson.strict().createObjectNode().set("files", files));
        } else {
            written.forEach(pw::println);
            pw.flush();
        }
        return ExitCodes.OK;
    }
}
