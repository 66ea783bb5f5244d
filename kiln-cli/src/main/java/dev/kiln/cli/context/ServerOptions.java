package dev.kiln.cli.context;

import dev.kiln.error.KilnException;
import dev.kiln.server.ServerSettings;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Map;
import java.util.Optional;
import picocli.CommandLine.Option;

/** {@code --server URL} and {@code --token TOKEN}: the options of the commands that can run against a Kiln server. */
public final class ServerOptions {
    /** The environment variable naming the server when {@code --server} is not given. */
    public static final String SERVER_ENV = "KILN_SERVER";
    /** The environment variable holding the bearer token when {@code --token} is not given. */
    public static final String TOKEN_ENV = ServerSettings.AUTH_TOKEN_ENV;

    @Option(
            names = "--server",
            paramLabel = "URL",
            description = "Send the command to the Kiln server at URL, such as http://127.0.0.1:8080 (default: " + "$"
                    + SERVER_ENV + "). Without it, trainings run on this machine.")
    String server;

    @Option(
            names = "--token",
            paramLabel = "TOKEN",
            description = "The server's bearer token (default: $" + TOKEN_ENV + ", which keeps it out of the "
                    + "process list).")
    String token;

    /**
     * The server to talk to: {@code --server}, else {@code KILN_SERVER}; empty for this machine.
     *
     * @throws KilnException INVALID_ARGUMENT naming the option or variable if the URL is malformed
     */
    public Optional<URI> url(Map<String, String> env) {
        boolean fromOption = server != null;
        String text = fromOption ? server : env.get(SERVER_ENV);
        if (text == null || text.isBlank()) {
            if (fromOption) {
                throw KilnException.invalidArgument("--server needs a URL, such as http://127.0.0.1:8080");
            }
            return Optional.empty();
        }
        String source = fromOption ? "--server" : SERVER_ENV;
        try {
            URI uri = new URI(text.strip());
            if (uri.getScheme() == null
                    || uri.getHost() == null
                    || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
                throw KilnException.invalidArgument(source + " must be an http:// or https:// URL with a host, such"
                        + " as http://127.0.0.1:8080; got '" + text + "'");
            }
            return Optional.of(uri);
        } catch (URISyntaxException e) {
            throw KilnException.invalidArgument(source + " is not a valid URL: " + e.getMessage());
        }
    }

    /** Whether {@code --server} was given on the command line (not just {@code KILN_SERVER} in the environment). */
    public boolean given() {
        return server != null;
    }

    /** The bearer token: {@code --token}, else {@code KILN_AUTH_TOKEN}; null for none. */
    public String token(Map<String, String> env) {
        String t = token != null ? token : env.get(TOKEN_ENV);
        return t == null || t.isBlank() ? null : t;
    }
}
