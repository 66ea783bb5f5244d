package dev.kiln.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.module.Checkpoint;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    private static byte[] text(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void noCheckpointBeforeTheFirstSave() {
        CheckpointStore store = new CheckpointStore(tmp.resolve("none"), 2);
        assertThat(store.latest()).isEmpty();
        assertThat(store.sizeBytes()).isZero();
    }

    @Test
    void latestIsTheHighestStepAndOnlyTheNewestAreKept() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("c"), 2);
        store.save(1, text("one"));
        store.save(2, text("two"));
        store.save(10, text("ten"));

        Checkpoint latest = store.latest().orElseThrow();
        assertThat(latest.step()).isEqualTo(10);
        assertThat(new String(latest.state(), StandardCharsets.UTF_8)).isEqualTo("ten");
        try (Stream<Path> files = Files.list(tmp.resolve("c"))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(CheckpointStore.fileName(2), CheckpointStore.fileName(10));
        }
        assertThat(store.sizeBytes()).isPositive();
    }

    @Test
    void aDamagedNewestCheckpointIsSkippedForThePreviousOne() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("c"), 3);
        store.save(1, text("one"));
        store.save(2, text("two"));
        Path newest = tmp.resolve("c").resolve(CheckpointStore.fileName(2));
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 12] ^= 0x55;
        Files.write(newest, bytes);

        assertThat(store.latest().orElseThrow().step()).isEqualTo(1);
    }

    @Test
    void aTruncatedCheckpointAndStrayTemporaryFilesAreIgnored() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp.resolve("c"), 3);
        store.save(4, text("four"));
        byte[] whole = CheckpointStore.encode(new Checkpoint(5, text("five")));
        Files.write(tmp.resolve("c").resolve(CheckpointStore.fileName(5)), java.util.Arrays.copyOf(whole, 20));
        Files.write(tmp.resolve("c").resolve(".checkpoint-123.tmp"), whole);

        assertThat(store.latest().orElseThrow().step()).isEqualTo(4);
    }

    @Test
    void deleteRemovesTheDirectory() {
        CheckpointStore store = new CheckpointStore(tmp.resolve("c"), 2);
        store.save(1, text("one"));
        store.delete();
        assertThat(tmp.resolve("c")).doesNotExist();
        store.delete();
    }
}
