package dev.kiln.cli.command;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ModelView;
import dev.kiln.cli.client.ModelViews;
import dev.kiln.cli.client.RemoteModels;
import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code kiln models}: the models in a local models directory, or those a server serves. */
@Command(
        name = "models",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "List models: those a server serves (--server), or those in a local models directory, each under the id"
                    + " a server would serve it by (its directory name)."
        })
public final class ModelsCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "The local models directory (default: runtime.local_models_dir, else ./models).")
    private Path dir;

    @Mixin
    private ServerOptions server;

    @Override
    public Integer call() {
        Optional<URI> url = server.url(root.environment().env());
        PrintWriter out = spec.commandLine().getOut();
        if (url.isPresent() && dir != null) {
            throw KilnException.invalidArgument("--dir lists a local directory; it cannot be used with a server");
        }
        List<ModelView> models;
        if (url.isPresent()) {
            RemoteModels remote = RemoteModels.connect(
                    url.get(), server.token(root.environment().env()));
            if (root.options().json()) {
                TrainingJson.printPretty(out, remote.info());
                return ExitCodes.OK;
            }
            models = remote.list();
        } else {
            Path where = root.environment().resolve(dir != null ? dir : localModelsDir());
            models = ModelViews.local(where);
            if (root.options().json()) {
                TrainingJson.printPretty(out, json(models));
                return ExitCodes.OK;
            }
        }
        if (models.isEmpty()) {
            out.println(url.isPresent() ? "The server serves no models." : "No models.");
            out.flush();
            return ExitCodes.OK;
        }
        out.printf("%-32s %-22s %10s  %s%n", "MODEL ID", "MODULE", "SIZE", url.isPresent() ? "TRAINING" : "PATH");
        for (ModelView m : models) {
            String last = url.isPresent() ? (m.trainingId() == null ? "-" : m.trainingId()) : m.path();
            out.printf("%-32s %-22s %10s  %s%n", m.id(), m.moduleName(), size(m.size()), last);
        }
        out.flush();
        return ExitCodes.OK;
    }

    private Path localModelsDir() {
        return Path.of(root.config().section("runtime").string("local_models_dir", "models"));
    }

    /** The local listing in caikit's {@code /info/models} shape, so scripts read both alike. */
    private static ObjectNode json(List<ModelView> models) {
        ObjectNode root = KilnJson.strict().createObjectNode();
        ArrayNode array = root.putArray("models");
        for (ModelView m : models) {
            ObjectNode o = array.addObject()
                    .put("name", m.id())
                    .put("model_path", m.path())
                    .put("size", m.size())
                    .put("module_id", m.moduleId());
            o.putObject("module_metadata").put("name", m.moduleName());
        }
        return root;
    }

    private static String size(long bytes) {
        if (bytes < 0) {
            return "-";
        }
        if (bytes < 1024) {
            return bytes + " B";
        }
        double v = bytes;
        String[] units = {"KiB", "MiB", "GiB"};
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
