package dev.kiln.cli;

import dev.kiln.KilnVersion;
import dev.kiln.cli.client.LocalTrainingClient;
import dev.kiln.cli.client.RemoteTrainingClient;
import dev.kiln.cli.client.TrainingClient;
import dev.kiln.cli.command.CancelCommand;
import dev.kiln.cli.command.DemoCommand;
import dev.kiln.cli.command.ListCommand;
import dev.kiln.cli.command.LogsCommand;
import dev.kiln.cli.command.ModelsCommand;
import dev.kiln.cli.command.ModulesCommand;
import dev.kiln.cli.command.PredictCommand;
import dev.kiln.cli.command.ServeCommand;
import dev.kiln.cli.command.StatusCommand;
import dev.kiln.cli.command.TrainCommand;
import dev.kiln.cli.runs.RunStore;
import dev.kiln.config.KilnConfig;
import java.io.PrintWriter;
import java.net.URI;
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
public final class KilnCli implements Callable<Integer>, AutoCloseable {
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
        PrintWriter out = new PrintWriter(System.out, true);
        PrintWriter err = new PrintWriter(System.err, true);
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

    /** The options every command shares. */
    public GlobalOptions options() {
        return options;
    }

    /** The environment kiln runs in. */
    public CliEnvironment environment() {
        return environment;
    }

    /**
     * The configuration: defaults, then {@code CONFIG_FILES} and {@code --config} files, then the environment.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND for a missing config file, INVALID_ARGUMENT for a malformed one
     */
    public KilnConfig config() {
        List<Path> files =
                options.configFiles().stream().map(environment::resolve).toList();
        return KilnConfig.load(files, environment.env());
    }

    /** The client for trainings on this machine, created on first use. */
    public synchronized TrainingClient client() {
        if (client == null) {
            client = new LocalTrainingClient(config(), new RunStore(environment.runsDir()), environment.clock());
        }
        return client;
    }

    /**
     * The client commands reach trainings through, created on first use: a server's when {@code --server} or
     * {@code KILN_SERVER} names one, else this machine's.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT for a malformed server URL
     */
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
