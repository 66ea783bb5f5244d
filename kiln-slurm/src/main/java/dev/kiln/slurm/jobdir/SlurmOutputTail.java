package dev.kiln.slurm.jobdir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Reads the end of a job's output file, so a huge log never has to fit in memory. */
public final class SlurmOutputTail {
    private SlurmOutputTail() {}

    /**
     * The last {@code maxBytes} bytes of the file as text, starting at a line boundary when it was cut; empty when
     * the file does not exist.
     *
     * @throws IOException if the file exists but cannot be read
     */
    public static String read(Path file, long maxBytes) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            long start = Math.max(0, size - maxBytes);
            ByteBuffer buffer = ByteBuffer.allocate(Math.toIntExact(size - start));
            while (buffer.hasRemaining() && channel.read(buffer, start + buffer.position()) >= 0) {
                // read to the end
            }
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8);
            if (start > 0) {
                int nl = text.indexOf('\n');
                text = nl < 0 ? text : text.substring(nl + 1);
            }
            return text;
        } catch (NoSuchFileException e) {
            return "";
        }
    }
}
