package dev.kiln.slurm.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.Progress;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a worker's event file as it grows. */
class EventFileReaderTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path tmp;

    private void append(Path file, String text) throws Exception {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    @Test
    void returnsEachCompleteLineOnceAndKeepsAHalfWrittenOneForLater() throws Exception {
        Path file = tmp.resolve("events.jsonl");
        EventFileReader reader = new EventFileReader(file);
        assertThat(reader.readNew()).isEmpty();
        WorkerEvent started = new WorkerEvent.Started(42, T0);
        WorkerEvent progressed = new WorkerEvent.Progressed(new Progress(1, 3, Map.of("loss", 0.25), T0));
        String progressLine = WorkerEvents.write(progressed);

        append(file, WorkerEvents.write(started) + "\n" + progressLine.substring(0, 20));
        assertThat(reader.readNew()).containsExactly(started);

        append(file, progressLine.substring(20) + "\n");
        assertThat(reader.readNew()).containsExactly(progressed);
        assertThat(reader.readNew()).isEmpty();
    }

    @Test
    void aFileThatShrankIsReadAgainFromTheStart() throws Exception {
        Path file = tmp.resolve("events.jsonl");
        EventFileReader reader = new EventFileReader(file);
        append(
                file,
                WorkerEvents.write(new WorkerEvent.Started(1, T0)) + "\n"
                        + WorkerEvents.write(new WorkerEvent.Started(2, T0)) + "\n");
        assertThat(reader.readNew()).hasSize(2);

        Files.writeString(file, WorkerEvents.write(new WorkerEvent.Cancelled(T0)) + "\n");

        assertThat(reader.readNew()).containsExactly(new WorkerEvent.Cancelled(T0));
    }

    @Test
    void linesThatAreNotEventsAreSkippedAndTheRestRead() throws Exception {
        Path file = tmp.resolve("events.jsonl");
        append(
                file,
                "garbage\n[1,2]\n\n{\"type\":\"from-a-newer-worker\"}\n"
                        + WorkerEvents.write(new WorkerEvent.Cancelled(T0)) + "\n");

        assertThat(new EventFileReader(file).readNew()).containsExactly(new WorkerEvent.Cancelled(T0));
    }
}
