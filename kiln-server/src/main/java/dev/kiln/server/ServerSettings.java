package dev.kiln.server;

import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.error.KilnException;
import dev.kiln.server.http.ClientLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

/**
 * The server's configuration, read once from caikit's keys under {@code runtime} and {@code data_streams}.
 *
 * @param host the address to bind ({@code runtime.http.host})
 * @param port the port to bind, 0 for any free one ({@code runtime.http.port})
 * @param authToken the bearer token every route but {@code /health} needs, or null for none
 *     ({@code runtime.http.auth_token}, else the {@code KILN_AUTH_TOKEN} environment variable)
 * @param maxBodyBytes the largest request body accepted ({@code runtime.http.max_body_bytes})
 * @param shutdownGrace how long a shutdown waits for running trainings
 *     ({@code runtime.http.server_shutdown_grace_period_seconds})
 * @param outputDir where models are saved ({@code runtime.training.output_dir})
 * @param saveWithId whether the training id is appended to save paths ({@code runtime.training.save_with_id})
 * @param journalPath the journal database ({@code runtime.journal.path}; by default {@code journal.db} in the
 *     default trainer's {@code work_dir}, else in {@code kiln-work} under the working directory)
 * @param dataBase the directory data paths must stay inside ({@code data_streams.file_source_base}; by default the
 *     working directory, as a server never reads arbitrary files for its clients)
 * @param clientLimits how long the server waits for slow clients ({@code runtime.http.request_header_timeout_seconds},
 *     {@code idle_timeout_seconds}, {@code min_request_data_rate}, {@code min_request_data_rate_grace_seconds})
 */
public record ServerSettings(
        String host,
        int port,
        String authToken,
        long maxBodyBytes,
        Duration shutdownGrace,
        Path outputDir,
        boolean saveWithId,
        Path journalPath,
        Path dataBase,
        ClientLimits clientLimits) {
    /** The environment variable that may hold the bearer token. */
    public static final String AUTH_TOKEN_ENV = "KILN_AUTH_TOKEN";

    public ServerSettings {
        if (port < 0 || port > 65_535) {
            throw KilnException.invalidArgument(
                    "Invalid value '" + port + "' for runtime.http.port: expected 0 to" + " 65535");
        }
        authToken = authToken == null || authToken.isBlank() ? null : authToken;
    }

    /**
     * Reads the settings from configuration and the environment.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad key and value
     */
    public static ServerSettings from(KilnConfig config, Map<String, String> env) {
        Settings http = config.section("runtime.http");
        Settings training = config.section("runtime.training");
        long port = http.integer("port").orElse(8080L);
        if (port < 0 || port > 65_535) {
            throw http.invalid("port", http.json().get("port"), "expected 0 to 65535");
        }
        String token = http.string("auth_token").filter(t -> !t.isBlank()).orElse(env.get(AUTH_TOKEN_ENV));
        return new ServerSettings(
                http.string("host", "127.0.0.1"),
                (int) port,
                token,
                http.integerAtLeast("max_body_bytes", 1).orElse(10L * 1024 * 1024),
                http.duration("server_shutdown_grace_period_seconds").orElse(Duration.ofSeconds(30)),
                training.path("output_dir").orElse(Path.of("training_output")),
                training.bool("save_with_id", true),
                config.section("runtime.journal").path("path").orElseGet(() -> defaultJournal(config)),
                config.section("data_streams").path("file_source_base").orElse(Path.of("")),
                ClientLimits.from(http));
    }

    private static Path defaultJournal(KilnConfig config) {
        Path workDir = config.section("model_management.trainers.default.config")
                .path("work_dir")
                .orElse(Path.of("kiln-work"));
        return workDir.resolve("journal.db");
    }

    /** These settings with another port. */
    public ServerSettings withPort(int value) {
        return new ServerSettings(
                host,
                value,
                authToken,
                maxBodyBytes,
                shutdownGrace,
                outputDir,
                saveWithId,
                journalPath,
                dataBase,
                clientLimits);
    }

    /** These settings with another host. */
    public ServerSettings withHost(String value) {
        return new ServerSettings(
                value,
                port,
                authToken,
                maxBodyBytes,
                shutdownGrace,
                outputDir,
                saveWithId,
                journalPath,
                dataBase,
                clientLimits);
    }
}
