package dev.kiln.worker;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/**
 * The pipe-mode channel: the spec arrives as the first line of standard input, and events leave on standard output
 * as lines starting with {@link WorkerProtocol#FRAME_PREFIX}. {@code System.out} and {@code System.err} are
 * re-pointed at the same output, so the training's own lines stay whole and every event begins a line. Standard
 * input stays open for the job's life; its end means the parent is gone.
 */
final class PipeChannel implements EventSink {
    private static final byte[] PREFIX = WorkerProtocol.FRAME_PREFIX.getBytes(StandardCharsets.UTF_8);

    private final LineTrackingOutput out;
    private final FileInputStream stdin;
    private final FileChannel in;
    private final ByteBuffer buffer = ByteBuffer.allocate(65536);
    private volatile Thread watch;
    private boolean ended; // guarded by out

    private PipeChannel(LineTrackingOutput out, FileInputStream stdin) {
        this.out = out;
        this.stdin = stdin;
        this.in = stdin.getChannel();
        buffer.limit(0);
    }

    /**
     * Takes over standard input and output for the protocol. Standard input is read through a channel, so the thread
     * waiting on it can be interrupted: the JVM delays its exit by up to 300 ms for threads blocked in native reads.
     */
    static PipeChannel install() {
        LineTrackingOutput out =
                new LineTrackingOutput(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 8192));
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(out, true, StandardCharsets.UTF_8));
        return new PipeChannel(out, new FileInputStream(FileDescriptor.in));
    }

    @Override
    public void send(WorkerEvent event) {
        byte[] json = WorkerEvents.write(event).getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            if (ended) {
                return; // nothing follows the terminal event, such as a heartbeat while the JVM writes its archive
            }
            ended = event.isTerminal();
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

    /** Whether bytes wait on standard input, such as the spec; reading them would not block. */
    boolean hasInput() {
        try {
            return buffer.hasRemaining() || stdin.available() > 0;
        } catch (IOException e) {
            return true;
        }
    }

    /** The first line of standard input, or null if it ended first. */
    String readSpec() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            if (!buffer.hasRemaining()) {
                buffer.clear();
                int n = in.read(buffer);
                buffer.flip();
                if (n < 0) {
                    return null;
                }
            }
            while (buffer.hasRemaining()) {
                byte b = buffer.get();
                if (b == '\n') {
                    return line.toString(StandardCharsets.UTF_8);
                }
                line.write(b);
            }
        }
    }

    /**
     * Runs {@code onEnd} on a daemon thread once standard input ends (the parent closed it or died), watching from the
     * moment {@code specRead} opens. The thread is started here, before the spec arrives, because starting a thread
     * waits until the new thread has been scheduled once, which on a busy machine costs milliseconds on the job's
     * path. (Here and on the rest of a job's path the worker uses classes rather than lambdas: linking a lambda the
     * first time costs milliseconds, more than a pre-started worker's whole job.)
     */
    void watchParent(Runnable onEnd, CountDownLatch specRead) {
        Thread thread = new Thread(new ParentWatch(onEnd, specRead), "kiln-parent-watch");
        thread.setDaemon(true);
        watch = thread;
        thread.start();
    }

    /** Reads standard input to its end once the spec has been read, then reports the parent gone. */
    private final class ParentWatch implements Runnable {
        private final Runnable onEnd;
        private final CountDownLatch specRead;

        ParentWatch(Runnable onEnd, CountDownLatch specRead) {
            this.onEnd = onEnd;
            this.specRead = specRead;
        }

        @Override
        public void run() {
            try {
                specRead.await();
            } catch (InterruptedException e) {
                return; // the worker is exiting without a job
            }
            try {
                buffer.clear();
                while (in.read(buffer) >= 0) {
                    buffer.clear(); // later lines are reserved; nothing is sent after the spec in this version
                }
            } catch (AsynchronousCloseException e) {
                return; // the worker is exiting and stopped the watch
            } catch (IOException e) {
                // a broken pipe means the same as its end
            }
            onEnd.run();
        }
    }

    /** Stops watching standard input, so no thread is left blocked in a read when the JVM exits. */
    void stopWatching() {
        Thread thread = watch;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
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
        private boolean atLineStart = true; // guarded by this

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
