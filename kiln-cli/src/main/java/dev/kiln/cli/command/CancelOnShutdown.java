package dev.kiln.cli.command;

import dev.kiln.cli.client.Training;
import java.io.PrintWriter;

/**
 * While a training is followed in the foreground, Ctrl-C (or SIGTERM) cancels it cleanly before the JVM exits: the
 * training is cancelled, the client is closed (stopping workers, removing partial output) and a line says so. The
 * JVM then exits with 130 for SIGINT, as shells expect.
 */
final class CancelOnShutdown implements AutoCloseable {
    private final Thread hook;

    private CancelOnShutdown(Thread hook) {
        this.hook = hook;
    }

    /** Registers the hook for {@code training}. */
    static CancelOnShutdown install(Training training, Runnable closeClient, PrintWriter err) {
        Thread hook = new Thread(action(training, closeClient, err), "kiln-cancel-on-exit");
        Runtime.getRuntime().addShutdownHook(hook);
        return new CancelOnShutdown(hook);
    }

    /** What the hook does: cancel an unfinished training, close the client, say so. */
    static Runnable action(Training training, Runnable closeClient, PrintWriter err) {
        return () -> {
            if (training.view().state().isTerminal()) {
                return;
            }
            training.cancel();
            closeClient.run();
            err.println();
            err.println("Cancelled training " + training.id());
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
