package dev.kiln.local.child;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * A child's captured output: kept in memory until the job's {@code output.log} is known (a pre-started child prints
 * before it has a job), then written there. At most {@code limit} bytes are kept; the first byte beyond is replaced
 * by a visible truncation marker and the rest is counted, not kept. Also notices the JVM's own out-of-memory exit
 * message.
 */
final class LogCapture {
    /** What {@code -XX:+ExitOnOutOfMemoryError} prints before the JVM exits. */
    static final String OUT_OF_MEMORY_LINE = "Terminating due to java.lang.OutOfMemoryError";

    private static final byte[] OOM = OUT_OF_MEMORY_LINE.getBytes(StandardCharsets.US_ASCII);

    private final long limit;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream(); // guarded by this
    private OutputStream file; // guarded by this
    private Path path; // guarded by this
    private long kept; // guarded by this
    private long dropped; // guarded by this
    private boolean closed; // guarded by this
    private volatile boolean outOfMemory;

    LogCapture(long limit) {
        this.limit = limit;
    }

    /** From now on, output goes to {@code target}, starting with what was held until now. */
    synchronized void attach(Path target) throws IOException {
        OutputStream out = Files.newOutputStream(target);
        pending.writeTo(out);
        out.flush();
        pending.reset();
        file = out;
        path = target;
    }

    /** One line of output (with its line break, if it had one). */
    synchronized void line(byte[] bytes, int offset, int length) {
        if (startsWith(bytes, offset, length, OOM)) {
            outOfMemory = true;
        }
        if (closed) {
            return;
        }
        long room = limit - kept;
        int keep = (int) Math.max(0, Math.min(room, length));
        if (keep > 0) {
            write(bytes, offset, keep);
            kept += keep;
        }
        if (keep < length) {
            if (dropped == 0) {
                byte[] marker = ("\n[kiln: output truncated here: log_capture_bytes is " + limit
                                + "; later output is not kept]\n")
                        .getBytes(StandardCharsets.UTF_8);
                write(marker, 0, marker.length);
            }
            dropped += length - keep;
        }
    }

    private void write(byte[] bytes, int offset, int length) {
        try {
            if (file != null) {
                file.write(bytes, offset, length);
            } else {
                pending.write(bytes, offset, length);
            }
        } catch (IOException e) {
            closed = true;
        }
    }

    /** Makes what was captured visible to readers. */
    synchronized void flush() {
        if (file != null && !closed) {
            try {
                file.flush();
            } catch (IOException e) {
                closed = true;
            }
        }
    }

    /** Whether the JVM reported that it ran out of memory. */
    boolean sawOutOfMemory() {
        return outOfMemory;
    }

    /** How many bytes were not kept. */
    synchronized long dropped() {
        return dropped;
    }

    /** The output kept so far. */
    String read() {
        Path target;
        synchronized (this) {
            flush();
            if (file == null) {
                return pending.toString(StandardCharsets.UTF_8);
            }
            target = path;
        }
        try {
            return Files.readString(target, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return "";
        } catch (IOException e) {
            return "[kiln: cannot read " + target + ": " + e.getMessage() + "]";
        }
    }

    /** Ends the capture, noting how much was dropped. */
    synchronized void close() {
        if (closed) {
            return;
        }
        if (dropped > 0) {
            byte[] note =
                    ("[kiln: " + dropped + " more bytes of output were not kept]\n").getBytes(StandardCharsets.UTF_8);
            write(note, 0, note.length);
        }
        closed = true;
        if (file != null) {
            try {
                file.close();
            } catch (IOException e) {
                // nothing more to keep
            }
        }
    }

    private static boolean startsWith(byte[] bytes, int offset, int length, byte[] prefix) {
        if (length < prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (bytes[offset + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }
}
