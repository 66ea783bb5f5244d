package dev.kiln.cli.command;

import dev.kiln.cli.console.TrainingJson;
import dev.kiln.cli.console.WriterPrintStream;
import dev.kiln.cli.context.CliContext;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.json.KilnJson;
import dev.kiln.server.KilnServer;
import dev.kiln.server.ServerMain;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code kiln serve}: runs a Kiln server (caikit's training API over HTTP and gRPC, the dashboard, a journal of every training)
 * in the foreground until Ctrl-C or SIGTERM, then stops it gracefully.
 */
@Command(
        name = "serve",
        mixinStandardHelpOptions = true,
        sortOptions = false,
        description = {
            "Run a Kiln server: caikit's training API over HTTP and gRPC, a dashboard at its root URL, and a journal "
                    + "of every training.",
            "It trains with the trainers under model_management.trainers and keeps data paths inside "
                    + "data_streams.file_source_base (default: the working directory). Ctrl-C or SIGTERM stops "
                    + "it gracefully: new trainings are refused and running ones get "
                    + "runtime.http.server_shutdown_grace_period_seconds (30s) to finish."
        })
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    private CliContext root;

    @Spec
    private CommandSpec spec;

    @Option(
            names = "--port",
            paramLabel = "N",
            description = "The port to listen on (default: runtime.http.port, 8080); 0 picks a free one.")
    private Integer port;

    @Option(
            names = "--grpc-port",
            paramLabel = "N",
            description = "The port gRPC listens on (default: runtime.grpc.port, 8085); 0 picks a free one;"
                    + " runtime.grpc.enabled: false turns gRPC off.")
    private Integer grpcPort;

    @Option(
            names = "--host",
            paramLabel = "HOST",
            description =
                    "The address to bind (default: runtime.http.host, 127.0.0.1); 0.0.0.0 for every " + "interface.")
    private String host;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        boolean json = root.options().json();
        PrintStream serverOut = json ? new PrintStream(OutputStream.nullOutputStream()) : WriterPrintStream.of(out);
        KilnServer server = ServerMain.serve(
                root.config(), port, grpcPort, host, root.environment().env(), serverOut);
        String url = server.baseUri().toString();
        boolean token = server.settings().authToken() != null;
        if (json) {
            TrainingJson.print(
                    out,
                    KilnJson.strict()
                            .createObjectNode()
                            .put("url", url)
                            .put("dashboard", url + "/")
                            .put("grpc_port", server.grpcPort())
                            .put("token_required", token));
        } else {
            out.println("Dashboard at " + url + "/");
            if (token) {
                out.println("Every API route but /health needs the bearer token (runtime.http.auth_token or "
                        + "KILN_AUTH_TOKEN); the dashboard page is public and asks for it.");
            }
            out.println("Press Ctrl-C to stop.");
            out.flush();
        }
        try {
            server.awaitStopped();
            return ExitCodes.OK;
        } catch (InterruptedException e) {
            server.stop();
            Thread.currentThread().interrupt();
            return ExitCodes.INTERRUPTED;
        }
    }
}
