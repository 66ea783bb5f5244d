package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kiln as separate processes: a training in one process is cancelled by {@code kiln cancel} from another, or by
 * Ctrl-C (SIGINT) in its own terminal; Ctrl-C while following a server's training cancels it at the server.
 */
class KilnProcessTest {
    @TempDir
    Path dir;

    private Process train;

    @AfterEach
    void stopChild() throws Exception {
        if (train != null && train.isAlive()) {
            train.destroyForcibly();
            train.waitFor(1, TimeUnit.MINUTES);
        }
    }

    /** Starts {@code kiln train SampleModule} in a child JVM; it blocks on a gate file that is never created. */
    private Process startBlockedTraining(String... extraArgs) throws Exception {
        Path started = dir.resolve("started");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                KilnCli.class.getName(),
                "train",
                "SampleModule",
                "-p",
                "gate_file=" + dir.resolve("gate"),
                "-p",
                "started_file=" + started,
                "--save-path",
                "model"));
        command.addAll(List.of(extraArgs));
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile());
        pb.environment().put(CliEnvironment.KILN_HOME, dir.resolve("kiln-home").toString());
        Process p = pb.start();
        Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> Files.exists(started) || !p.isAlive());
        assertThat(p.isAlive()).as(text("child.err")).isTrue();
        return p;
    }

    private String text(String file) throws Exception {
        Path path = dir.resolve(file);
        return Files.exists(path) ? Files.readString(path, StandardCharsets.UTF_8) : "";
    }

    private String runningId(CliRun cli) {
        JsonNode list = cli.run("list", "--json").json();
        assertThat(list).hasSize(1);
        assertThat(list.get(0).get("state").asText()).isEqualTo("RUNNING");
        return list.get(0).get("training_id").asText();
    }

    @Test
    void cancelFromAnotherProcessStopsTheTrainingCleanly() throws Exception {
        train = startBlockedTraining();
        CliRun cli = new CliRun(dir, false);
        String id = runningId(cli);

        CliRun.Result cancel = cli.run("cancel", id);

        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).contains("Cancelled training " + id);
        assertThat(train.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(text("child.err")).contains("Cancelled training " + id);
        assertThat(cli.run("status", id, "--json").json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(dir.resolve("model")).doesNotExist();
    }

    @Test
    void ctrlCCancelsTheTrainingAndExits130() throws Exception {
        train = startBlockedTraining();
        CliRun cli = new CliRun(dir, false);
        String id = runningId(cli);

        Process kill = new ProcessBuilder("kill", "-INT", Long.toString(train.pid()))
                .inheritIO()
                .start();
        assertThat(kill.waitFor()).isZero();

        assertThat(train.waitFor(1, TimeUnit.MINUTES)).isTrue();
        assertThat(train.exitValue()).isEqualTo(ExitCodes.INTERRUPTED);
        assertThat(text("child.err")).contains("Cancelled training " + id);
        assertThat(text("child.out")).isEmpty();
        assertThat(cli.run("status", id, "--json").json().get("state").asText()).isEqualTo("CANCELED");
        assertThat(cli.run("logs", id).out()).contains("CANCELED");
        assertThat(dir.resolve("model")).doesNotExist();
    }

    @Test
    void ctrlCWhileFollowingAServersTrainingCancelsItAtTheServer() throws Exception {
        try (TestServer server = TestServer.start(dir.resolve("server"), "")) {
            train = startBlockedTraining("--server", server.server().baseUri().toString());
            JsonNode page =
                    server.http().get("/management/trainings?state=RUNNING").json();
            assertThat(page.get("total").asLong()).isEqualTo(1);
            String id = page.get("trainings").get(0).get("training_id").asText();
            // The child follows the event stream (so its Ctrl-C hook is in place) before it is interrupted.
            Awaitility.await().atMost(Duration.ofMinutes(1)).until(() -> eventSubscribers(server) == 1);

            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(train.pid()))
                    .inheritIO()
                    .start();
            assertThat(kill.waitFor()).isZero();

            assertThat(train.waitFor(1, TimeUnit.MINUTES)).isTrue();
            assertThat(train.exitValue()).as(text("child.err")).isEqualTo(ExitCodes.INTERRUPTED);
            assertThat(text("child.err")).contains("Cancelled training " + id);
            assertThat(text("child.out")).isEmpty();
            assertThat(server.status(id).get("state").asText()).isEqualTo("CANCELED");
            assertThat(dir.resolve("kiln-home")).as("no local run records").doesNotExist();
        }
    }

    /** How many event streams the server is feeding: read from its internals, as no route tells. */
    private static int eventSubscribers(TestServer server) throws ReflectiveOperationException {
        Object trainings = server.server().trainings();
        java.lang.reflect.Field events = trainings.getClass().getDeclaredField("events");
        events.setAccessible(true);
        Object hub = events.get(trainings);
        java.lang.reflect.Field subscriptions = hub.getClass().getDeclaredField("subscriptions");
        subscriptions.setAccessible(true);
        return ((java.util.Set<?>) subscriptions.get(hub)).size();
    }
}
