package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.FakeClock;
import dev.kiln.testing.FakeScheduler;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's own timers, the journal's retention purge and the local models poll, run on the scheduler it is
 * given: a fake one here, whose time the tests move, so no test waits for either timer.
 */
class ServerTimersTest {
    private static final String LAZY_LOAD = "runtime:\n  lazy_load_local_models: true\n";

    @TempDir
    Path tmp;

    private static TestServer start(Path dir, String yaml, FakeScheduler time) {
        return TestServer.start(KilnServer.builder(TestServer.config(dir, yaml))
                .port(0)
                .clock(time.clock())
                .scheduler(time));
    }

    private record Trained(String id, Path saved) {}

    /** Trains a model on a server of its own, which then stops. */
    private Trained trainAndStop() {
        try (TestServer a = TestServer.start(tmp, "")) {
            String id = a.train("old", TestServer.params());
            a.awaitState(id, "COMPLETED");
            return new Trained(id, savePath(a, id));
        }
    }

    @Test
    void theRetentionPurgeRunsWhenFakeTimePassesTheRetention() {
        Trained old = trainAndStop();
        FakeScheduler time = new FakeScheduler(new FakeClock(Instant.now().plus(Duration.ofHours(23))));

        try (TestServer b = start(tmp, "", time)) {
            time.advance(Duration.ofMinutes(30));
            assertThat(b.status(old.id()).get("state").asText())
                    .as("kept until a day after it ended")
                    .isEqualTo("COMPLETED");

            time.advance(Duration.ofHours(1));

            assertThat(b.http()
                            .get("/management/trainings?training_id=" + old.id())
                            .status())
                    .isEqualTo(404);
            assertThat(Files.exists(old.saved()))
                    .as("its model is deleted with it")
                    .isFalse();
        }
    }

    @Test
    void theLocalModelsPollServesAndDropsModelsAsFakeTimePasses() throws IOException {
        FakeScheduler time = new FakeScheduler();
        try (TestServer server = start(tmp, LAZY_LOAD, time)) {
            String id = server.train("m", TestServer.params());
            server.awaitState(id, "COMPLETED");
            Path from = savePath(server, id);
            Path to = server.dir().resolve("local-models/dropped-in");
            copy(from, to);
            assertThat(servedModels(server)).doesNotContain("\"dropped-in\"");

            time.advance(Duration.ofSeconds(10));
            assertThat(servedModels(server)).as("found by the poll").contains("\"dropped-in\"");

            delete(to);
            time.advance(Duration.ofSeconds(10));
            assertThat(servedModels(server)).as("dropped by the next poll").doesNotContain("\"dropped-in\"");
        }
    }

    @Test
    void withoutLazyLoadingOnlyThePurgeIsScheduledAndAStopCancelsIt() {
        FakeScheduler time = new FakeScheduler();
        try (TestServer server = start(tmp, "", time)) {
            assertThat(time.pending()).as("the retention purge alone").isEqualTo(1);
        }
        assertThat(time.pending()).as("nothing left behind by the stop").isZero();

        FakeScheduler lazy = new FakeScheduler();
        try (TestServer server = start(tmp.resolve("lazy"), LAZY_LOAD, lazy)) {
            assertThat(lazy.pending()).as("the purge and the local models poll").isEqualTo(2);
        }
        assertThat(lazy.pending()).isZero();
    }

    private static Path savePath(TestServer server, String id) {
        return Path.of(server.http()
                .get("/management/trainings/" + id)
                .json()
                .get("save_path")
                .asText());
    }

    private static String servedModels(TestServer server) {
        return server.http().get("/info/models").body();
    }

    private static void copy(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        try (Stream<Path> files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.delete(f);
            }
        }
        Files.delete(dir);
    }
}
