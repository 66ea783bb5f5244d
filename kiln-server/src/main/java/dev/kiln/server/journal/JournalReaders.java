package dev.kiln.server.journal;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A small pool of read-only connections; in WAL mode they read committed data while the writer writes. */
final class JournalReaders implements AutoCloseable {
    /** A query run on one borrowed connection. */
    @FunctionalInterface
    interface Read<T> {
        T apply(Connection connection) throws SQLException;
    }

    private static final Logger LOG = LoggerFactory.getLogger(JournalReaders.class);

    private final BlockingQueue<Connection> idle;
    private final List<Connection> all = new ArrayList<>();

    JournalReaders(int size, Supplier<Connection> open) {
        this.idle = new ArrayBlockingQueue<>(size);
        for (int i = 0; i < size; i++) {
            Connection c = open.get();
            all.add(c);
            idle.add(c);
        }
    }

    /**
     * Runs a query on a pooled connection.
     *
     * @throws KilnException UNAVAILABLE naming {@code what} if the query fails
     */
    <T> T read(String what, Read<T> read) {
        Connection c;
        try {
            c = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException(ErrorCode.UNAVAILABLE, "Interrupted while reading " + what + " from the journal");
        }
        try {
            return read.apply(c);
        } catch (SQLException e) {
            throw new KilnException(
                    ErrorCode.UNAVAILABLE, "The journal could not read " + what + ": " + e.getMessage(), e);
        } finally {
            idle.add(c);
        }
    }

    @Override
    public void close() {
        for (Connection c : all) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.warn("Closing a journal read connection failed: {}", e.toString());
            }
        }
    }
}
