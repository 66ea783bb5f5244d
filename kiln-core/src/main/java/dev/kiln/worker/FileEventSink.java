package dev.kiln.worker;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Appends events to {@code events.jsonl}, one line per write, so a reader on another node sees whole lines. Every
 * event except progress is forced to disk at once (shared file systems show it to other nodes then); progress at
 * most once a second.
 */
final class FileEventSink implements EventSink {
    private static final long PROGRESS_SYNC_NANOS = 1_000_000_000L;

    private final Path file;
    private final FileOutputStream out;
    private long lastSync; // guarded by this

    FileEventSink(Path file) throws IOException {
        this.file = file;
        this.out = new FileOutputStream(file.toFile(), true);
    }

    @Override
    public synchronized void send(WorkerEvent event) {
        byte[] line = (WorkerEvents.write(event) + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            out.write(line);
            long now = System.nanoTime();
            if (!(event instanceof WorkerEvent.Progressed) || now - lastSync >= PROGRESS_SYNC_NANOS) {
                out.getFD().sync();
                lastSync = now;
            }
        } catch (IOException e) {
            System.err.println("kiln worker: cannot write event to " + file + ": " + e);
        }
    }
}
