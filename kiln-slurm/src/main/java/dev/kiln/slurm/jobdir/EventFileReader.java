package dev.kiln.slurm.jobdir;

import dev.kiln.worker.ProtocolException;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Follows a worker's {@code events.jsonl}: each call returns the events of the complete lines appended since the
 * last one, read with {@link WorkerEvents#parse}. A line still being written is left for the next call; a line that
 * is not a valid event is logged and skipped. The file is reopened on every call, which is what makes appends from
 * another node visible on NFS.
 */
public final class EventFileReader {
    private static final Logger LOG = LoggerFactory.getLogger(EventFileReader.class);

    private final Path file;
    private long offset; // guarded by this

    /** A reader that starts at the beginning of {@code file}, which need not exist yet. */
    public EventFileReader(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** The file being followed. */
    public Path file() {
        return file;
    }

    /**
     * The events appended since the last call; none when the file does not exist yet.
     *
     * @throws IOException if the file exists but cannot be read
     */
    public synchronized List<WorkerEvent> readNew() throws IOException {
        byte[] bytes;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size < offset) {
                LOG.warn(
                        "Event file {} shrank from {} to {} bytes; reading it again from the start",
                        file,
                        offset,
                        size);
                offset = 0;
            }
            if (size == offset) {
                return List.of();
            }
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - offset));
            while (buffer.hasRemaining() && channel.read(buffer, offset + buffer.position()) >= 0) {
                // read until the buffer is full or the file ends
            }
            bytes = new byte[buffer.position()];
            buffer.flip().get(bytes);
        } catch (NoSuchFileException e) {
            return List.of();
        }
        int end = lastNewline(bytes);
        if (end < 0) {
            return List.of();
        }
        offset += end + 1;
        List<WorkerEvent> events = new ArrayList<>();
        for (String line : new String(bytes, 0, end, StandardCharsets.UTF_8).split("\n", -1)) {
            if (line.isBlank()) {
                continue;
            }
            try {
                events.add(WorkerEvents.parse(line));
            } catch (ProtocolException e) {
                LOG.warn("Skipping a line of {} that is not a worker event: {}", file, e.getMessage());
            }
        }
        return events;
    }

    private static int lastNewline(byte[] bytes) {
        for (int i = bytes.length - 1; i >= 0; i--) {
            if (bytes[i] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
