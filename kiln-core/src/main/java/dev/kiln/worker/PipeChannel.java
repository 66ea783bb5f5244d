package dev.kiln.worker;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The pipe-mode channel: the spec arrives as the first line of standard input, and events leave on standard output
 * as lines starting with {@link WorkerProtocol#FRAME_PREFIX}. {@code System.out} and {@code System.err} are
 * re-pointed at the same output, so the training's own lines stay whole and every event begins a line. Standard
 * input stays open for the job's life; its end means the parent is gone.
 */
final class PipeChannel implements EventSink {
    private static final byte[] PREFIX = WorkerProtocol.FRAME_PREFIX.getBytes(StandardCharsets.UTF_8);

    private final LineTrackingOutput out;
    private final BufferedReader in;

    private PipeChannel(LineTrackingOutput out, BufferedReader in) {
        this.out = out;
        this.in = in;
    }

    /** Takes over standard input and output for the protocol. */
    static PipeChannel install() {
        LineTrackingOutput out = new LineTrackingOutput(
                new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8), 65536);
        return new PipeChannel(out, in);
    }

    @Override
    public void send(WorkerEvent event) {
        byte[] json = WorkerEvents.write(event).getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            try {
                out.startLine();
                out.write(PREFIX);
                out.write(json);
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                // the parent is gone; the stdin watch ends the worker
            }
        }
    }

    /** The first line of standard input, or null if it ended first. */
    String readSpec() throws IOException {
        return in.readLine();
    }

    /** Runs {@code onEnd} on a daemon thread once standard input ends: the parent closed it or died. */
    void watchParent(Runnable onEnd) {
        Thread watch = new Thread(() -> {
            char[] sink = new char[256];
            try {
                while (in.read(sink) >= 0) {
                    // later lines are reserved; nothing is sent after the spec in this version
                }
            } catch (IOException e) {
                // a broken pipe means the same as its end
            }
            onEnd.run();
        }, "kiln-parent-watch");
        watch.setDaemon(true);
        watch.start();
    }

    /** Flushes pending output. */
    void flush() {
        synchronized (out) {
            try {
                out.flush();
            } catch (IOException e) {
                // the parent is gone
            }
        }
    }

    /** An output stream that knows whether the last byte written ended a line. */
    private static final class LineTrackingOutput extends OutputStream {
        private final OutputStream target;
        private boolean atLineStart = true;

        LineTrackingOutput(OutputStream target) {
            this.target = target;
        }

        synchronized void startLine() throws IOException {
            if (!atLineStart) {
                write('\n');
            }
        }

        @Override
        public synchronized void write(int b) throws IOException {
            target.write(b);
            atLineStart = b == '\n';
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            target.write(b, off, len);
            atLineStart = b[off + len - 1] == '\n';
        }

        @Override
        public synchronized void flush() throws IOException {
            target.flush();
        }
    }
}
