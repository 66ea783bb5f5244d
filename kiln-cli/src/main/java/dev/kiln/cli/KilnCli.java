package dev.kiln.cli;

import dev.kiln.KilnVersion;
import dev.kiln.cli.client.RemoteTrainingClient;
import dev.kiln.cli.client.TrainingClient;
import dev.kiln.cli.command.CancelCommand;
import dev.kiln.cli.command.DemoCommand;
import dev.kiln.cli.command.ListCommand;
import dev.kiln.cli.command.LogsCommand;
import dev.kiln.cli.command.ModelsCommand;
import dev.kiln.cli.command.ModulesCommand;
import dev.kiln.cli.command.PredictCommand;
import dev.kiln.cli.command.ProtosCommand;
import dev.kiln.cli.command.ServeCommand;
import dev.kiln.cli.command.StatusCommand;
import dev.kiln.cli.command.TrainCommand;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.GlobalOptions;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.cli.runs.LocalTrainingClient;
import dev.kiln.cli.runs.RunStore;
import dev.kiln.config.KilnConfig;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code kiln} command: train models in the background, follow them, and predict with what they saved. */
@Command(
        name = "kiln",
        mixinStandardHelpOptions = true,
        versionProvider = KilnCli.Version.class,
        description = "Background model training for the JVM.",
        subcommands = {
            TrainCommand.class,
            StatusCommand.class,
            ListCommand.class,
            CancelCommand.class,
            LogsCommand.class,
            PredictCommand.class,
            ModulesCommand.class,
            ModelsCommand.class,
            ServeCommand.class,
            ProtosCommand.class,
            DemoCommand.class,
            CommandLine.HelpCommand.class
        },
        footer = {
            "",
            "Exit codes: 0 done (training COMPLETED), 1 training ERRORED or internal error, 2 usage or bad "
                    + "value, 3 training CANCELED, 4 not found, 5 conflict, 6 unavailable, 130 interrupted (Ctrl-C).",
            "train, status, list, cancel, logs and modules talk to a Kiln server with --server URL or "
                    + "KILN_SERVER; 'kiln serve' runs one.%n"
        })
public final class KilnCli implements CliContext, Callable<Integer> {
    /** Tribuo logs through java.util.logging at INFO; the CLI keeps only its warnings. Held to stay configured. */
    private static final Logger TRIBUO_LOG = Logger.getLogger("org.tribuo");

    private static final Logger OLCUT_LOG = Logger.getLogger("com.oracle.labs.mlrg.olcut");

    @Mixin
    private GlobalOptions options;

    @Spec
    private CommandSpec spec;

    private final CliEnvironment environment;
    private TrainingClient client;

    public KilnCli(CliEnvironment environment) {
        this.environment = environment;
    }

    /** Runs kiln with this process's environment and exits with the command's exit code. */
    public static void main(String[] args) {
        TRIBUO_LOG.setLevel(Level.WARNING);
        OLCUT_LOG.setLevel(Level.WARNING);
        // the platform's charset, the one the terminal was set up for (UTF-8 from JDK 18 on)
        PrintWriter out = new PrintWriter(new OutputStreamWriter(System.out, Charset.defaultCharset()), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(System.err, Charset.defaultCharset()), true);
        System.exit(run(CliEnvironment.system(), out, err, args));
    }

    /** Runs one kiln command line in this JVM, writing to {@code out} and {@code err}. */
    public static int run(CliEnvironment environment, PrintWriter out, PrintWriter err, String... args) {
        try (KilnCli cli = new KilnCli(environment)) {
            CommandLine cmd =
                    new CommandLine(cli).setOut(out).setErr(err).setExecutionExceptionHandler(new ErrorReporter());
            return cmd.execute(args);
        }
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCodes.USAGE;
    }

    @Override
    public GlobalOptions options() {
        return options;
    }

    @Override
    public CliEnvironment environment() {
        return environment;
    }

    @Override
    public KilnConfig config() {
        List<Path> files =
                options.configFiles().stream().map(environment::resolve).toList();
        return KilnConfig.load(files, environment.env());
    }

    @Override
    public synchronized TrainingClient client() {
        if (client == null) {
            client = new LocalTrainingClient(config(), new RunStore(environment.runsDir()), environment.clock());
        }
        return client;
    }

    @Override
    public synchronized TrainingClient client(ServerOptions server) {
        if (client == null) {
            Optional<URI> url = server.url(environment.env());
            if (url.isPresent()) {
                client = RemoteTrainingClient.connect(url.get(), server.token(environment.env()));
            }
        }
        return client();
    }

    @Override
    public synchronized void close() {
        if (client != null) {
            client.close();
            client = null;
        }
    }

    /** Kiln's version for {@code --version}. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"kiln " + KilnVersion.get(), "Java " + System.getProperty("java.version")};
        }
    }
}
