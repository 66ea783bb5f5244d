package dev.kiln.slurm.jobdir;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.JobError;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Following a worker's event file as it grows. */
class EventFileReaderTest {
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

        append(file, "{\"type\":\"started\",\"pid\":42,\"timestamp\":\"2026-01-01T00:00:00Z\"}\n{\"type\":\"prog");
        assertThat(reader.readNew()).containsExactly(
                new WorkerEvent.Started(42, Instant.parse("2026-01-01T00:00:00Z")));

        append(file, "ress\",\"step\":1,\"total\":3,\"metrics\":{\"loss\":0.25}}\n");
        assertThat(reader.readNew()).containsExactly(new WorkerEvent.Progressed(1, 3, Map.of("loss", 0.25), null));
        assertThat(reader.readNew()).isEmpty();
    }

    @Test
    void aFileThatShrankIsReadAgainFromTheStart() throws Exception {
        Path file = tmp.resolve("events.jsonl");
        EventFileReader reader = new EventFileReader(file);
        append(file, "{\"type\":\"started\",\"pid\":1}\n{\"type\":\"started\",\"pid\":2}\n");
        assertThat(reader.readNew()).hasSize(2);

        Files.writeString(file, "{\"type\":\"cancelled\"}\n");

        assertThat(reader.readNew()).containsExactly(new WorkerEvent.Cancelled(null));
    }

    @Test
    void everyEventTypeOfTheProtocolIsRead() {
        assertThat(WorkerEvent.parse("{\"type\":\"completed\",\"save_path\":\"/m\",\"timestamp\":\"x\"}"))
                .contains(new WorkerEvent.Completed("/m", null));
        assertThat(WorkerEvent.parse("{\"type\":\"completed\",\"save_path\":null}"))
                .contains(new WorkerEvent.Completed(null, null));
        assertThat(WorkerEvent.parse("{\"type\":\"failed\",\"kind\":\"OUT_OF_MEMORY\",\"error_type\":"
                + "\"java.lang.OutOfMemoryError\",\"message\":\"Java heap space\",\"stack\":\"s\"}"))
                .contains(new WorkerEvent.Failed(new JobError(JobError.Kind.OUT_OF_MEMORY,
                        "java.lang.OutOfMemoryError", "Java heap space", "s"), null));
        assertThat(WorkerEvent.parse("{\"type\":\"failed\",\"kind\":\"SOMETHING_NEW\",\"message\":\"m\"}"))
                .get().extracting(e -> ((WorkerEvent.Failed) e).error().kind()).isEqualTo(JobError.Kind.EXCEPTION);
        assertThat(WorkerEvent.parse("{\"type\":\"heartbeat\"}")).isEmpty();
        assertThat(new WorkerEvent.Cancelled(null).isTerminal()).isTrue();
        assertThat(new WorkerEvent.Started(1, null).isTerminal()).isFalse();
    }

    @Test
    void linesThatAreNotEventsAreSkippedAndTheRestRead() throws Exception {
        Path file = tmp.resolve("events.jsonl");
        append(file, "garbage\n[1,2]\n\n{\"type\":\"cancelled\"}\n");

        List<WorkerEvent> events = new EventFileReader(file).readNew();

        assertThat(events).containsExactly(new WorkerEvent.Cancelled(null));
    }
}
