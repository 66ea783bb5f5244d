package dev.kiln.cli.console;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;

/** A {@link PrintStream} that writes into a command's {@link PrintWriter}, for APIs that print to a stream. */
public final class WriterPrintStream {
    private WriterPrintStream() {}

    /** A UTF-8 print stream that hands each flushed (or printed) line to {@code writer}. */
    public static PrintStream of(PrintWriter writer) {
        return new PrintStream(new Bridge(writer), true, StandardCharsets.UTF_8);
    }

    /** Buffers bytes until a flush, then decodes them as UTF-8 into the writer. */
    private static final class Bridge extends OutputStream {
        private final PrintWriter writer;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Bridge(PrintWriter writer) {
            this.writer = writer;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
        }

        @Override
        public synchronized void flush() {
            writer.print(buffer.toString(StandardCharsets.UTF_8));
            buffer.reset();
            writer.flush();
        }

        @Override
        public void close() {
            flush();
        }
    }
}
