package dev.kiln.server.journal;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * An exclusive lock beside the journal file, so two servers never share one journal; the operating system
 * releases it when the process dies, even by SIGKILL.
 */
final class JournalLock implements AutoCloseable {
    private final FileChannel channel;
    private final FileLock lock;

    private JournalLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the lock for {@code journal}.
     *
     * @throws KilnException FAILED_PRECONDITION if another process (or server in this JVM) holds it
     */
    static JournalLock acquire(Path journal) {
        Path file = journal.resolveSibling(journal.getFileName() + ".lock");
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = channel.tryLock();
            if (lock == null) {
                throw inUse(journal, null);
            }
            return new JournalLock(channel, lock);
        } catch (OverlappingFileLockException e) {
            closeQuietly(channel);
            throw inUse(journal, e);
        } catch (IOException e) {
            closeQuietly(channel);
            throw KilnException.failedPrecondition("Cannot lock the journal " + journal + ": " + e.getMessage());
        } catch (KilnException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    private static KilnException inUse(Path journal, Exception cause) {
        return new KilnException(
                ErrorCode.FAILED_PRECONDITION,
                "The journal " + journal
                        + " is in use by another Kiln server; give each server its own runtime.journal.path",
                cause);
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // the lock failed already; nothing more to report
            }
        }
    }

    @Override
    public void close() {
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // the process is letting go of the journal; the OS releases the lock with the file
        }
    }
}
