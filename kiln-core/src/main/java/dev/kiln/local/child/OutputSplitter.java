package dev.kiln.local.child;

import dev.kiln.worker.WorkerProtocol;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Splits a child's merged stdout and stderr into protocol frames and the training's own output. A frame is the rest
 * of a line after {@link WorkerProtocol#FRAME_PREFIX}; whatever precedes the prefix on that line (output written by
 * native code without a line break) is output. Long lines without a frame are passed on in pieces so a child that
 * never ends a line cannot exhaust memory; a frame longer than {@link #MAX_FRAME} is reported as corrupt.
 */
final class OutputSplitter {
    /** The longest frame accepted. */
    static final int MAX_FRAME = 16 << 20;

    private static final int OUTPUT_CHUNK = 64 << 10;
    private static final byte[] PREFIX = WorkerProtocol.FRAME_PREFIX.getBytes(StandardCharsets.UTF_8);

    /** Receives the pieces. */
    interface Receiver {
        void frame(String json);

        void output(byte[] bytes, int offset, int length);

        void corrupt(String reason);
    }

    private final Receiver receiver;
    private byte[] line = new byte[8192];
    private int length;

    OutputSplitter(Receiver receiver) {
        this.receiver = receiver;
    }

    /** Feeds bytes read from the child. */
    void feed(byte[] bytes, int offset, int count) {
        int start = offset;
        int end = offset + count;
        for (int i = offset; i < end; i++) {
            if (bytes[i] == '\n') {
                append(bytes, start, i + 1 - start);
                completeLine();
                start = i + 1;
            }
        }
        append(bytes, start, end - start);
        if (length > OUTPUT_CHUNK && indexOfPrefixStart() < 0) {
            receiver.output(line, 0, length);
            length = 0;
        } else if (length > MAX_FRAME) {
            receiver.corrupt("a message longer than " + MAX_FRAME + " bytes");
            length = 0;
        }
    }

    /** The child's output ended; a last unfinished line is output. */
    void end() {
        if (length > 0) {
            completeLine();
        }
    }

    private void append(byte[] bytes, int offset, int count) {
        if (count <= 0) {
            return;
        }
        if (length + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, length + count));
        }
        System.arraycopy(bytes, offset, line, length, count);
        length += count;
    }

    private void completeLine() {
        int prefix = indexOf(PREFIX);
        if (prefix < 0) {
            receiver.output(line, 0, length);
        } else {
            if (prefix > 0) {
                receiver.output(line, 0, prefix);
                receiver.output(new byte[] {'\n'}, 0, 1);
            }
            int from = prefix + PREFIX.length;
            int to = length;
            while (to > from && (line[to - 1] == '\n' || line[to - 1] == '\r')) {
                to--;
            }
            receiver.frame(new String(line, from, to - from, StandardCharsets.UTF_8));
        }
        length = 0;
        if (line.length > OUTPUT_CHUNK * 4) {
            line = new byte[8192];
        }
    }

    private int indexOfPrefixStart() {
        for (int i = 0; i < length; i++) {
            if (line[i] == PREFIX[0]) {
                return i;
            }
        }
        return -1;
    }

    private int indexOf(byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= length; i++) {
            if (line[i] != needle[0]) {
                continue;
            }
            for (int j = 1; j < needle.length; j++) {
                if (line[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
