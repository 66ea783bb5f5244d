package dev.kiln.server;

import dev.kiln.config.KilnConfig;
import dev.kiln.error.KilnException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Starts a Kiln server from the command line and runs it until the process is told to stop (SIGTERM or Ctrl-C),
 * then stops gracefully. {@code kiln serve} calls {@link #serve}; this class's own {@code main} takes
 * {@code [--host H] [--port N] [--grpc-port N] [--config FILE]...}.
 */
public final class ServerMain {
    /** The exit code for bad arguments or configuration. */
    public static final int USAGE_ERROR = 2;

    private ServerMain() {}

    public static void main(String[] args) throws InterruptedException {
        int code = run(args, System.out, System.err, System.getenv());
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Parses arguments, serves until the process is stopped, and returns the exit code.
     *
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env)
            throws InterruptedException {
        String host = null;
        Integer port = null;
        Integer grpcPort = null;
        List<Path> configs = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--host" -> host = value(args, ++i, a);
                    case "--port" -> port = port(value(args, ++i, a), a);
                    case "--grpc-port" -> grpcPort = port(value(args, ++i, a), a);
                    case "--config" -> configs.add(Path.of(value(args, ++i, a)));
                    case "-h", "--help" -> {
                        out.println(usage());
                        return 0;
                    }
                    default -> throw KilnException.invalidArgument("Unknown argument '" + a + "'");
                }
            }
            KilnServer server = serve(KilnConfig.load(configs, env), port, grpcPort, host, env, out);
            server.awaitStopped();
            return 0;
        } catch (KilnException e) {
            err.println("kiln serve: " + e.getMessage());
            err.println(usage());
            return USAGE_ERROR;
        }
    }

    /**
     * Starts a server, stops it gracefully when the JVM is told to stop, and prints where it listens.
     *
     * @param port a port overriding {@code runtime.http.port}, or null
     * @param host an address overriding {@code runtime.http.host}, or null
     * @param env the environment, for {@code KILN_AUTH_TOKEN}
     * @return the running server; {@link KilnServer#awaitStopped()} waits for it
     * @throws KilnException naming a bad setting, a journal in use, or an address that cannot be bound
     */
    public static KilnServer serve(
            KilnConfig config, Integer port, String host, Map<String, String> env, PrintStream out) {
        return serve(config, port, null, host, env, out);
    }

    /**
     * Starts a server as {@link #serve(KilnConfig, Integer, String, Map, PrintStream)} does, with gRPC on
     * {@code grpcPort} when it is not null (overriding {@code runtime.grpc.port}).
     */
    public static KilnServer serve(
            KilnConfig config, Integer port, Integer grpcPort, String host, Map<String, String> env, PrintStream out) {
        KilnServer.Builder b = KilnServer.builder(config).environment(env);
        if (port != null) {
            b.port(port);
        }
        if (grpcPort != null) {
            b.grpcPort(grpcPort);
        }
        if (host != null) {
            b.host(host);
        }
        KilnServer server = b.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "kiln-server-shutdown"));
        out.println("Kiln server listening on " + server.baseUri());
        if (server.grpcPort() >= 0) {
            out.println("Kiln gRPC server listening on " + server.settings().host() + ":" + server.grpcPort());
        }
        out.flush();
        return server;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw KilnException.invalidArgument("Option " + option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text, String option) {
        try {
            return Integer.parseInt(text);
        } catch (NumberFormatException e) {
            throw KilnException.invalidArgument(option + " must be a whole number from 0 to 65535; got '" + text + "'");
        }
    }

    private static String usage() {
        return "Usage: kiln serve [--host HOST] [--port PORT] [--grpc-port PORT] [--config FILE]...";
    }
}
