package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.json.KilnJson;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.server.client.KilnClient;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.RealSlurm;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as people run it ({@code java -jar kiln.jar}), after packaging: {@code kiln serve} serves the API
 * and the dashboard from the shaded jar, {@code kiln train --server} trains there, nothing prints a warning, and
 * SIGTERM stops the server gracefully.
 */
class ShadedJarIT {
    private static final Pattern LISTENING = Pattern.compile("Kiln server listening on (http://\\S+)");

    @TempDir
    Path dir;

    private Path jar;
    private Process serve;

    @BeforeEach
    void findJar() {
        String path = System.getProperty("kiln.jar");
        assertThat(path)
                .as("the kiln.jar system property (set by the failsafe configuration)")
                .isNotNull();
        jar = Path.of(path);
        assertThat(jar).as("the shaded jar; build it with package").isRegularFile();
    }

    @AfterEach
    void stopServer() throws InterruptedException {
        if (serve != null && serve.isAlive()) {
            serve.destroyForcibly();
            serve.waitFor(1, TimeUnit.MINUTES);
        }
    }

    private ProcessBuilder kiln(String... args) {
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString()));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        pb.environment().put(CliEnvironment.KILN_HOME, dir.resolve("kiln-home").toString());
        pb.environment().remove(ServerOptions.SERVER_ENV);
        pb.environment().remove(ServerOptions.TOKEN_ENV);
        return pb;
    }

    /** Runs kiln to the end; returns its exit code, stdout and stderr. */
    private CliRun.Result run(String... args) throws Exception {
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process p = kiln(args)
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        assertThat(p.waitFor(2, TimeUnit.MINUTES))
                .as("kiln %s finished", List.of(args))
                .isTrue();
        return new CliRun.Result(p.exitValue(), Files.readString(out), Files.readString(err));
    }

    /** Collects a stream's lines in a daemon thread. */
    private static List<String> collect(java.io.InputStream in) {
        List<String> lines = Collections.synchronizedList(new ArrayList<>());
        collectInto(in, lines);
        return lines;
    }

    /** Adds a stream's lines to {@code lines} (a synchronized list) in a daemon thread. */
    private static void collectInto(java.io.InputStream in, List<String> lines) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                },
                "collect");
        t.setDaemon(true);
        t.start();
    }

    @Test
    void theJarHoldsMergedServiceFilesAndNoSignatures() throws IOException {
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(java.util.jar.JarEntry::getName))
                    .noneMatch(n -> n.matches("META-INF/[^/]+\\.(SF|RSA|DSA|EC)"));
            String modules = new String(
                    file.getInputStream(file.getEntry("META-INF/services/dev.kiln.module.ModuleType"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(modules)
                    .contains(
                            "dev.kiln.modules.text.TextClassifier",
                            "dev.kiln.modules.tabular.TabularClassifier",
                            "dev.kiln.modules.tabular.TabularRegressor");
            String trainers = new String(
                    file.getInputStream(file.getEntry("META-INF/services/dev.kiln.trainer.TrainerProvider"))
                            .readAllBytes(),
                    StandardCharsets.UTF_8);
            assertThat(trainers).contains("dev.kiln.local.LocalTrainerProvider", "dev.kiln.slurm.SlurmTrainerProvider");
            assertThat(file.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo(KilnCli.class.getName());
        }
    }

    @Test
    void helpAndVersionPrintNoWarnings() throws Exception {
        CliRun.Result version = run("--version");
        assertThat(version.exitCode()).isZero();
        assertThat(version.out()).startsWith("kiln ");
        assertThat(version.err()).isEmpty();
        CliRun.Result help = run("serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("Usage: kiln serve");
        assertThat(help.err()).isEmpty();
    }

    @Test
    void serveTrainAtItAndStopItWithSigterm() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        ShippedDataset.IRIS.extractTo(data);
        Path config = dir.resolve("kiln.yml");
        Files.writeString(config, """
                runtime:
                  training:
                    output_dir: %s
                  journal:
                    path: %s
                data_streams:
                  file_source_base: %s
                """.formatted(dir.resolve("models"), dir.resolve("journal.db"), data));

        List<String> err = Collections.synchronizedList(new ArrayList<>());
        URI url = serve(config, err);

        Http http = new Http(url);
        assertThat(http.get("/health").body()).isEqualTo("OK");
        JsonNode version = http.get("/info/version").json();
        assertThat(version.get("modules").has("TextClassifier")).isTrue();
        assertThat(version.get("modules").has("TabularClassifier")).isTrue();
        Http.Reply page = http.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body()).startsWith("<!doctype html>");
        assertThat(http.get("/openapi.json")
                        .json()
                        .get("paths")
                        .has("/api/v1/TabularClassificationTaskTabularClassifierTrain"))
                .isTrue();

        CliRun.Result trained = run(
                "train",
                "TabularClassifier",
                "--data",
                "iris.csv",
                "-p",
                "target=species",
                "-p",
                "epochs=5",
                "--model-name",
                "iris",
                "--json",
                "--server",
                url.toString());
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        assertThat(trained.err()).as("the CLI prints no warnings").isEmpty();
        JsonNode json = KilnJson.data().readTree(trained.out());
        String id = json.get("training_id").asText();
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(Path.of(json.get("save_path").asText()))
                .isEqualTo(dir.resolve("models").resolve(id).resolve("iris"))
                .isDirectory();

        CliRun.Result listed = run("list", "--server", url.toString());
        assertThat(listed.exitCode()).as(listed.toString()).isZero();
        assertThat(listed.out()).contains(id).contains("COMPLETED");

        stopWithSigterm(err);
        assertThat(KilnClient.connect(url).healthy()).isFalse();
    }

    /** Starts {@code kiln serve} with {@code config}; returns its URL and collects its stderr lines into {@code err}. */
    private URI serve(Path config, List<String> err) {
        try {
            serve = kiln("serve", "--port", "0", "--grpc-port", "0", "--config", config.toString())
                    .start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> out = collect(serve.getInputStream());
        collectInto(serve.getErrorStream(), err);
        Awaitility.await()
                .atMost(Duration.ofMinutes(1))
                .until(() -> !serve.isAlive()
                        || LISTENING.matcher(String.join("\n", out)).find());
        Matcher m = LISTENING.matcher(String.join("\n", out));
        assertThat(m.find()).as("serve printed its URL; stderr: %s", err).isTrue();
        return URI.create(m.group(1));
    }

    /** Stops the server with SIGTERM and checks that it stopped gracefully, logging no warnings. */
    private void stopWithSigterm(List<String> err) throws InterruptedException {
        serve.toHandle().destroy(); // SIGTERM, leaving the output streams open (Process.destroy closes them)
        assertThat(serve.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(serve.exitValue()).as("128 + SIGTERM").isEqualTo(143);
        Awaitility.await()
                .atMost(Duration.ofSeconds(10))
                .until(() -> List.copyOf(err).stream().anyMatch(l -> l.contains("Kiln server stopped")));
        assertThat(List.copyOf(err))
                .as("the server's own log lines only, no warnings")
                .isNotEmpty()
                .allMatch(l -> l.startsWith("[INFO] dev.kiln.server.KilnServer - "));
    }

    @Test
    void serveFindsTheSlurmTrainerInTheJar() throws Exception {
        Path config = dir.resolve("kiln.yml");
        Files.writeString(config, """
                runtime:
                  journal:
                    path: %s
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                    cluster:
                      type: SLURM
                      config: {work_dir: %s}
                """.formatted(dir.resolve("journal.db"), dir.resolve("slurm-work")));

        List<String> err = Collections.synchronizedList(new ArrayList<>());
        URI url = serve(config, err);

        JsonNode trainers = new Http(url).get("/management/summary").json().get("trainers");
        assertThat(trainers).anySatisfy(t -> {
            assertThat(t.get("name").asText()).isEqualTo("cluster");
            assertThat(t.get("type").asText()).isEqualTo("SLURM");
        });
        stopWithSigterm(err);
    }

    @Test
    void trainOnSlurmFromTheJar() throws Exception {
        RealSlurm.assumeRunning();
        Path data = Files.createDirectories(dir.resolve("data"));
        ShippedDataset.IRIS.extractTo(data);
        Path config = dir.resolve("slurm.yml");
        Files.writeString(config, """
                model_management:
                  trainers:
                    default:
                      type: SLURM
                      config: {work_dir: %s, poll_interval: 0.2s}
                """.formatted(dir.resolve("slurm-work")));

        CliRun.Result trained = run(
                "train",
                "TabularClassifier",
                "--data",
                data.resolve("iris.csv").toString(),
                "-p",
                "target=species",
                "-p",
                "epochs=5",
                "--save-path",
                "models",
                "--json",
                "--config",
                config.toString());

        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        assertThat(trained.err()).as("no warnings").doesNotContain("WARN");
        JsonNode json = KilnJson.data().readTree(trained.out());
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(Path.of(json.get("save_path").asText()))
                .isEqualTo(dir.resolve("models"))
                .isDirectory();
        assertThat(dir.resolve("slurm-work")
                        .resolve(json.get("training_id").asText())
                        .resolve("job.sh"))
                .as("it ran as a Slurm batch job")
                .isRegularFile();
    }
}
