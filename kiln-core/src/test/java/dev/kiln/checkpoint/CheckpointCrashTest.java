package dev.kiln.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.module.Checkpoint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A process killed with SIGKILL while it writes a checkpoint leaves the previous one readable. */
class CheckpointCrashTest {
    private static final int SIZE = 32 << 20;

    @TempDir
    Path tmp;

    @Test
    void aKillDuringAWriteLeavesThePreviousCheckpointUsable() throws Exception {
        Path dir = tmp.resolve("checkpoints");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process writer = new ProcessBuilder(
                        java,
                        "-Xmx256m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        CheckpointWriterMain.class.getName(),
                        dir.toString(),
                        Integer.toString(SIZE))
                .redirectErrorStream(true)
                .redirectOutput(tmp.resolve("writer.log").toFile())
                .start();
        try {
            // a temporary file next to a finished checkpoint: the process is in the middle of the next write
            await().atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(1))
                    .until(() -> new CheckpointStore(dir, 2).latest().isPresent() && hasTemporaryFile(dir));
            writer.destroyForcibly();
            writer.waitFor();
        } finally {
            writer.destroyForcibly();
        }

        Checkpoint latest = new CheckpointStore(dir, 2).latest().orElseThrow();
        assertThat(latest.state()).hasSize(SIZE);
        for (byte b : latest.state()) {
            if (b != (byte) latest.step()) {
                throw new AssertionError("checkpoint " + latest.step() + " is torn");
            }
        }
    }

    private static boolean hasTemporaryFile(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.anyMatch(p -> p.getFileName().toString().endsWith(".tmp"));
        }
    }
}
