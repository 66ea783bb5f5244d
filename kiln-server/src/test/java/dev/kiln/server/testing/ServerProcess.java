package dev.kiln.server.testing;

import static org.awaitility.Awaitility.await;

import dev.kiln.config.KilnConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** A Kiln server in its own JVM, started with this test class path through {@code ServerMain}. */
public final class ServerProcess {
    private static final String LISTENING = "Kiln server listening on ";

    private final Process process;
    private final Path stdout;
    private final Path stderr;
    private final URI uri;

    private ServerProcess(Process process, Path stdout, Path stderr, URI uri) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
        this.uri = uri;
    }

    /** Starts a server with {@code config} (written to a file in {@code dir}); returns once it listens. */
    public static ServerProcess start(Path dir, KilnConfig config, String name) throws IOException {
        return start(dir, config, name, List.of());
    }

    /** As {@link #start(Path, KilnConfig, String)}, with extra JVM options such as system properties. */
    public static ServerProcess start(Path dir, KilnConfig config, String name, List<String> jvmOptions)
            throws IOException {
        Path file = dir.resolve(name + "-config.yml");
        Files.writeString(file, config.toString());
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command =
                new ArrayList<>(List.of(java, "-Xmx256m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info"));
        command.addAll(jvmOptions);
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                "dev.kiln.server.ServerMain",
                "--config",
                file.toString(),
                "--port",
                "0"));
        Process p = new ProcessBuilder(command)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        try {
            await().atMost(TestServer.WAIT).until(() -> listening(out).isPresent() || !p.isAlive());
        } catch (RuntimeException e) {
            p.destroyForcibly();
            throw e;
        }
        if (!p.isAlive()) {
            throw new IllegalStateException(
                    "the server process exited with " + p.exitValue() + ": " + Files.readString(err));
        }
        return new ServerProcess(p, out, err, listening(out).orElseThrow());
    }

    private static Optional<URI> listening(Path out) throws IOException {
        if (!Files.exists(out)) {
            return Optional.empty();
        }
        return Files.readAllLines(out).stream()
                .filter(l -> l.startsWith(LISTENING))
                .map(l -> URI.create(l.substring(LISTENING.length()).trim()))
                .findFirst();
    }

    public URI uri() {
        return uri;
    }

    public Http http() {
        return new Http(uri);
    }

    public long pid() {
        return process.pid();
    }

    /** Kills the process with SIGKILL: no shutdown hook runs. Returns its exit code. */
    public int kill() throws InterruptedException {
        process.destroyForcibly();
        return process.waitFor();
    }

    /** Asks the process to stop with SIGTERM, as a service manager would. Returns its exit code. */
    public int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** Sends SIGTERM without waiting for the process to exit. */
    public void askToStop() {
        process.destroy();
    }

    /** Waits for the process to exit; returns its exit code. */
    public int awaitExit() throws InterruptedException {
        return process.waitFor();
    }

    public String stderr() throws IOException {
        return Files.readString(stderr);
    }

    public String stdout() throws IOException {
        return Files.readString(stdout);
    }
}
