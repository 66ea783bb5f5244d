package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.json.KilnJson;
import dev.kiln.server.client.KilnClient;
import dev.kiln.server.testing.Http;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kiln serve} in this JVM: it serves the API and the dashboard on the port it prints, and other kiln commands
 * reach it with {@code --server}. Interrupting the command's thread stands in for Ctrl-C: the server stops gracefully.
 */
class ServeCommandTest {
    private static final Pattern LISTENING = Pattern.compile("Kiln server listening on (http://\\S+)");

    @TempDir
    Path dir;

    private Thread serving;

    @AfterEach
    void stopServing() throws InterruptedException {
        if (serving != null && serving.isAlive()) {
            serving.interrupt();
            serving.join(TimeUnit.MINUTES.toMillis(1));
        }
    }

    /** A config keeping the journal, models and data inside the test's directory. */
    private Path config() throws IOException {
        return config(null);
    }

    /** The same config with a bearer token, or none when null. */
    private Path config(String token) throws IOException {
        Files.createDirectories(dir.resolve("data"));
        Path file = dir.resolve("kiln.yml");
        Files.writeString(file, """
                runtime:
                  http:
                    server_shutdown_grace_period_seconds: 0
                    %s
                  grpc:
                    port: 0
                  training:
                    output_dir: %s
                  journal:
                    path: %s
                data_streams:
                  file_source_base: %s
                """.formatted(
                        token == null ? "" : "auth_token: " + token,
                        dir.resolve("models"),
                        dir.resolve("journal.db"),
                        dir.resolve("data")));
        return file;
    }

    /** Starts {@code kiln serve} with these arguments in a thread; returns its exit code to come. */
    private CompletableFuture<Integer> serve(StringWriter out, StringWriter err, String... args) {
        CompletableFuture<Integer> exit = new CompletableFuture<>();
        CliRun cli = new CliRun(dir, false);
        serving = new Thread(
                () -> exit.complete(
                        KilnCli.run(cli.environment(), new PrintWriter(out, true), new PrintWriter(err, true), args)),
                "kiln-serve-test");
        serving.start();
        return exit;
    }

    private static URI awaitUrl(StringWriter out, CompletableFuture<Integer> exit) {
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> LISTENING.matcher(out.toString()).find() || exit.isDone());
        Matcher m = LISTENING.matcher(out.toString());
        assertThat(m.find())
                .as("serve printed its URL; exit %s, output %s", exit.getNow(null), out)
                .isTrue();
        return URI.create(m.group(1));
    }

    @Test
    void servesTheApiAndTheDashboardUntilInterrupted() throws Exception {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CompletableFuture<Integer> exit = serve(out, err, "serve", "--port", "0", "--config", config().toString());

        URI url = awaitUrl(out, exit);
        assertThat(url.getHost()).isEqualTo("127.0.0.1");
        assertThat(url.getPort()).isPositive();
        assertThat(out.toString()).contains("Dashboard at " + url + "/").contains("Press Ctrl-C to stop.");
        Http http = new Http(url);
        Http.Reply health = http.get("/health");
        assertThat(health.status()).isEqualTo(200);
        assertThat(health.body()).isEqualTo("OK");
        assertThat(http.get("/info/version").json().get("modules").has("SampleModule"))
                .isTrue();
        assertThat(http.get("/").body()).startsWith("<!doctype html>");

        CliRun.Result trained = new CliRun(dir.resolve("data"), false)
                .run("train", "SampleModule", "-p", "steps=1", "--json", "--server", url.toString());
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        assertThat(trained.json().get("save_path").asText())
                .startsWith(dir.resolve("models").toString());

        serving.interrupt();
        assertThat(exit.get(1, TimeUnit.MINUTES)).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(KilnClient.connect(url).healthy()).isFalse();
        assertThat(Files.exists(dir.resolve("journal.db"))).isTrue();
    }

    @Test
    void jsonPrintsWhereTheServerListens() throws Exception {
        StringWriter out = new StringWriter();
        CompletableFuture<Integer> exit = serve(
                out,
                new StringWriter(),
                "serve",
                "--port",
                "0",
                "--host",
                "127.0.0.1",
                "--json",
                "--config",
                config("s3cret").toString());
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> out.toString().contains("\n") || exit.isDone());

        JsonNode json = KilnJson.data().readTree(out.toString());
        URI url = URI.create(json.get("url").asText());
        assertThat(json.get("dashboard").asText()).isEqualTo(url + "/");
        assertThat(json.get("token_required").asBoolean()).isTrue();
        assertThat(new Http(url).get("/health").body()).isEqualTo("OK");
        assertThat(new Http(url).get("/info/version").status()).isEqualTo(401);
    }

    @Test
    void aBadPortIsAUsageErrorAndABusyPortIsUnavailable() throws Exception {
        CliRun cli = new CliRun(dir, false);
        CliRun.Result negative = cli.run("serve", "--port", "-1", "--config", config().toString());
        assertThat(negative.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(negative.err()).contains("runtime.http.port");

        try (ServerSocket busy = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            CliRun.Result taken =
                    cli.run("serve", "--port", Integer.toString(busy.getLocalPort()), "--config", config().toString());
            assertThat(taken.exitCode()).as(taken.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(taken.err()).contains("Cannot serve on 127.0.0.1:" + busy.getLocalPort());
        }
    }

    @Test
    void aMissingConfigFileIsNotFound() {
        CliRun.Result r = new CliRun(dir, false).run("serve", "--config", "no-such.yml");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err()).contains("no-such.yml");
    }

    @Test
    void helpDescribesTheOptions() {
        CliRun.Result r = new CliRun(dir, false).run("serve", "--help");
        assertThat(r.exitCode()).isZero();
        assertThat(r.out())
                .contains("Usage: kiln serve")
                .contains("--port=N")
                .contains("--host=HOST")
                .contains("--config=FILE");
        assertThat(List.of(r.out().split("\n"))).noneMatch(l -> l.contains("--server"));
    }
}
