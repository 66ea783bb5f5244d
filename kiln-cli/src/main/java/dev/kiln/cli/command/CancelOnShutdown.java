package dev.kiln.cli.command;

import dev.kiln.cli.client.Training;
import java.io.PrintWriter;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While a training is followed in the foreground, Ctrl-C (or SIGTERM) cancels it cleanly before the JVM exits: the
 * training is cancelled (at the server, for a server's training), the client is closed (stopping workers, removing
 * partial output) and a line says so. The JVM then exits with 130 for SIGINT, as shells expect.
 */
final class CancelOnShutdown implements AutoCloseable {
    private final Thread hook;
    private final AtomicBoolean fired;

    private CancelOnShutdown(Thread hook, AtomicBoolean fired) {
        this.hook = hook;
        this.fired = fired;
    }

    /** Registers the hook for {@code training}. */
    static CancelOnShutdown install(Training training, Runnable closeClient, PrintWriter err) {
        AtomicBoolean fired = new AtomicBoolean();
        Thread hook = new Thread(action(training, closeClient, err, fired), "kiln-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return new CancelOnShutdown(hook, fired);
    }

    /** Whether the JVM is shutting down and the hook took over the training; set before it cancels. */
    boolean fired() {
        return fired.get();
    }

    /** What the hook does: cancel an unfinished training, close the client, say so. */
    static Runnable action(Training training, Runnable closeClient, PrintWriter err, AtomicBoolean fired) {
        return () -> {
            if (training.view().state().isTerminal()) {
                return;
            }
            fired.set(true);
            String outcome = "Cancelled training " + training.id();
            try {
                training.cancel();
            } catch (RuntimeException e) {
                outcome = "Could not cancel training " + training.id() + ": " + e.getMessage();
            }
            closeClient.run();
            err.println();
            err.println(outcome);
            err.flush();
        };
    }

    /** Removes the hook once the training has ended in the foreground. */
    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // the JVM is already shutting down and the hook is running
        }
    }
}
