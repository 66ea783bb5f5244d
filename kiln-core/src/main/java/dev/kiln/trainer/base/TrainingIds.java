package dev.kiln.trainer.base;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Generates training ids as random (version 4) UUIDs from the operating system's secure random source, as Python's
 * {@code uuid4()} does with {@code os.urandom}. Bytes are read 4 KiB at a time, so an id costs 16 bytes written out as
 * hexadecimal text in {@link UUID#toString()}'s form, rather than a {@code SecureRandom} call (whose SHA-1 mixing was
 * most of the CPU time of submitting a training) and a {@code UUID} object.
 * Where {@code /dev/urandom} cannot be read, each block comes from {@link SecureRandom} instead.
 */
final class TrainingIds {
    private static final int BLOCK = 4096;
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.ISO_8859_1);
    /** Where each of an id's 16 bytes goes in its text, around the dashes of {@code 8-4-4-4-12}. */
    private static final int[] TEXT_POSITION = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};

    private static final TrainingIds SHARED = new TrainingIds(openUrandom());

    private final InputStream source;
    private final byte[] block = new byte[BLOCK]; // guarded by this
    private int position = BLOCK; // guarded by this
    private SecureRandom fallback; // guarded by this

    /** @param source the random bytes to use, or null to use {@link SecureRandom} */
    TrainingIds(InputStream source) {
        this.source = source;
    }

    /** A new random training id. */
    static String next() {
        return SHARED.nextId();
    }

    String nextId() {
        byte[] text = new byte[36];
        synchronized (this) {
            if (position + 16 > BLOCK) {
                refill();
            }
            int from = position;
            position += 16;
            block[from + 6] = (byte) ((block[from + 6] & 0x0F) | 0x40); // version 4
            block[from + 8] = (byte) ((block[from + 8] & 0x3F) | 0x80); // the IETF variant
            for (int i = 0; i < 16; i++) {
                int b = block[from + i] & 0xFF;
                int at = TEXT_POSITION[i];
                text[at] = HEX[b >>> 4];
                text[at + 1] = HEX[b & 0x0F];
            }
        }
        text[8] = '-';
        text[13] = '-';
        text[18] = '-';
        text[23] = '-';
        return new String(text, StandardCharsets.ISO_8859_1);
    }

    private void refill() {
        if (source != null) {
            try {
                if (source.readNBytes(block, 0, BLOCK) == BLOCK) {
                    position = 0;
                    return;
                }
            } catch (IOException e) {
                // fall through to SecureRandom
            }
        }
        if (fallback == null) {
            fallback = new SecureRandom();
        }
        fallback.nextBytes(block);
        position = 0;
    }

    private static InputStream openUrandom() {
        try {
            return new FileInputStream("/dev/urandom");
        } catch (IOException | SecurityException e) {
            return null;
        }
    }
}
