package dev.kiln.server.journal;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's one writer: a thread that owns the write connection and commits every waiting write in one
 * transaction (group commit), so many concurrent submissions share one sync to disk. Writes apply in the order they
 * were handed over.
 */
final class JournalWriter implements AutoCloseable {
    /** One unit of SQL work inside the writer's transaction. */
    @FunctionalInterface
    interface Work {
        void apply(Connection connection) throws SQLException;
    }

    private record Pending(String what, Work work, CompletableFuture<Void> done) {}

    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int MAX_BATCH = 512;
    /** The most writes that may wait before writes nobody waits for are dropped. */
    static final int MAX_BACKLOG = 100_000;

    private static final Pending STOP = new Pending("stop", null, null);

    private final Connection connection;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final AtomicLong dropped = new AtomicLong();
    private final Object lock = new Object();
    private boolean closed; // guarded by lock

    JournalWriter(Connection connection, String threadName) {
        this.connection = connection;
        this.thread = new Thread(this::run, threadName);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /**
     * Applies {@code work} and returns once it is committed.
     *
     * @throws KilnException UNAVAILABLE naming {@code what} if it failed or the journal is closed
     */
    void write(String what, Work work) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (!enqueue(new Pending(what, work, done))) {
            throw new KilnException(ErrorCode.UNAVAILABLE, "The journal is closed; could not record " + what);
        }
        try {
            done.join();
        } catch (CompletionException e) {
            Throwable cause = e.getCause();
            throw new KilnException(
                    ErrorCode.UNAVAILABLE, "The journal could not record " + what + ": " + cause.getMessage(), cause);
        }
    }

    /**
     * Applies {@code work} soon, without waiting; a failure is logged. When the writer is {@link #MAX_BACKLOG} writes
     * behind (a module reporting progress faster than the disk can take it), the write is dropped instead.
     */
    void writeLater(String what, Work work) {
        if (queue.size() >= MAX_BACKLOG) {
            if (dropped.getAndIncrement() % MAX_BACKLOG == 0) {
                LOG.warn(
                        "The journal is {} writes behind; dropping {} ({} dropped so far)",
                        MAX_BACKLOG,
                        what,
                        dropped.get());
            }
            return;
        }
        enqueue(new Pending(what, work, null));
    }

    /**
     * Queues a write unless the writer is closed. Checking and queueing under the lock {@link #close()} takes means no
     * write can slip in behind the stop, where nobody would apply it and its caller would wait for ever.
     */
    private boolean enqueue(Pending p) {
        synchronized (lock) {
            if (closed) {
                return false;
            }
            queue.add(p);
            return true;
        }
    }

    private void run() {
        List<Pending> batch = new ArrayList<>();
        boolean stop = false;
        while (!stop) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                continue;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            stop = batch.remove(STOP);
            if (!batch.isEmpty()) {
                commit(batch);
            }
            batch.clear();
        }
    }

    private void commit(List<Pending> batch) {
        IdentityHashMap<Pending, Exception> failures = new IdentityHashMap<>();
        try {
            for (Pending p : batch) {
                try {
                    p.work().apply(connection);
                } catch (SQLException | RuntimeException e) {
                    failures.put(p, e);
                }
            }
            connection.commit();
        } catch (SQLException e) {
            restartTransaction(e);
            batch.forEach(p -> failures.put(p, e));
        }
        for (Pending p : batch) {
            Exception failure = failures.get(p);
            if (p.done() == null) {
                if (failure != null) {
                    LOG.warn("The journal could not record {}: {}", p.what(), failure.toString());
                }
            } else if (failure != null) {
                p.done().completeExceptionally(failure);
            } else {
                p.done().complete(null);
            }
        }
    }

    /**
     * Rolls back after a failed commit and makes sure the next batch runs in a transaction again. When SQLite has
     * already rolled the transaction back itself (as it does after an I/O error, a full disk or an interrupt), the
     * driver's rollback fails and starts no new transaction: every later batch would then run statement by statement
     * and fail to commit with "cannot commit - no transaction is active". Here a new transaction is begun instead.
     */
    private void restartTransaction(SQLException failure) {
        try {
            connection.rollback();
        } catch (SQLException rollback) {
            try (Statement s = connection.createStatement()) {
                s.execute("BEGIN");
            } catch (SQLException begin) {
                failure.addSuppressed(rollback);
                failure.addSuppressed(begin);
            }
        }
    }

    /** Commits what is queued, stops the thread and closes the connection. */
    @Override
    public void close() {
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            queue.add(STOP);
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        try {
            connection.close();
        } catch (SQLException e) {
            LOG.warn("Closing the journal's write connection failed: {}", e.toString());
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
