package dev.kiln.worker;

/**
 * Turns SIGTERM into a cancellation request instead of an immediate shutdown, so the training can stop at its next
 * check, the worker can write {@code cancelled} and remove partial output. A shutdown hook cannot do this safely:
 * it would also run when the training itself calls {@code System.exit}. Uses {@link SignalHandlers}; where the JDK
 * offers no signal handlers, a shutdown hook requests the cancellation and
 * gives the training a moment to stop.
 */
final class TermSignal {
    private static final long HOOK_WAIT_MILLIS = 5_000;

    private TermSignal() {}

    /**
     * Runs {@code onTerm} on SIGTERM.
     *
     * @param training the thread to wait for when only a shutdown hook is available
     */
    static void install(Runnable onTerm, Thread training) {
        if (SignalHandlers.handle("TERM", onTerm)) {
            return;
        }
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            onTerm.run();
                            try {
                                training.join(HOOK_WAIT_MILLIS);
                            } catch (InterruptedException interrupted) {
                                Thread.currentThread().interrupt();
                            }
                        },
                        "kiln-sigterm-hook"));
    }
}
