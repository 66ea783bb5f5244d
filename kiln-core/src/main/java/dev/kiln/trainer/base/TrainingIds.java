package dev.kiln.trainer.base;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * Generates training ids as random (version 4) UUIDs from the operating system's secure random source, as Python's
 * {@code uuid4()} does with {@code os.urandom}. Bytes are read 4 KiB at a time, so an id costs a copy of 16 bytes
 * rather than a {@code SecureRandom} call (whose SHA-1 mixing was most of the CPU time of submitting a training).
 * Where {@code /dev/urandom} cannot be read, each block comes from {@link SecureRandom} instead.
 */
final class TrainingIds {
    private static final int BLOCK = 4096;
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
        long msb;
        long lsb;
        synchronized (this) {
            if (position + 16 > BLOCK) {
                refill();
            }
            msb = readLong(position);
            lsb = readLong(position + 8);
            position += 16;
        }
        msb = (msb & ~0xF000L) | 0x4000L;
        lsb = (lsb & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;
        return new UUID(msb, lsb).toString();
    }

    private long readLong(int at) {
        long value = 0;
        for (int i = 0; i < 8; i++) {
            value = (value << 8) | (block[at + i] & 0xFF);
        }
        return value;
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
