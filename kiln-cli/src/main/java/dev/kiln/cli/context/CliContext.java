package dev.kiln.cli.context;

import dev.kiln.cli.client.TrainingClient;
import dev.kiln.config.KilnConfig;

/** What every subcommand takes from the {@code kiln} command it runs under: options, environment, config, client. */
public interface CliContext extends AutoCloseable {
    /** The options every command shares. */
    GlobalOptions options();

    /** The environment kiln runs in. */
    CliEnvironment environment();

    /**
     * The configuration: defaults, then {@code CONFIG_FILES} and {@code --config} files, then the environment.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND for a missing config file, INVALID_ARGUMENT for a malformed one
     */
    KilnConfig config();

    /** The client for trainings on this machine, created on first use. */
    TrainingClient client();

    /**
     * The client commands reach trainings through, created on first use: a server's when {@code --server} or
     * {@code KILN_SERVER} names one, else this machine's.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT for a malformed server URL
     */
    TrainingClient client(ServerOptions server);

    /** Closes the client, if one was created; a command calls it to stop following a training on Ctrl-C. */
    @Override
    void close();
}
