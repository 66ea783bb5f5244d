package dev.kiln.cli.command;

import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.cli.console.ProgressBar;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;

/** Waits in the foreground for a training to end, drawing a live progress bar when a person is watching. */
final class TrainingFollower {
    private static final Duration TICK = Duration.ofMillis(200);

    private final PrintWriter err;
    private final boolean showBar;
    private final Clock clock;

    TrainingFollower(PrintWriter err, boolean showBar, Clock clock) {
        this.err = err;
        this.showBar = showBar;
        this.clock = clock;
    }

    /**
     * Follows the training until it ends; Ctrl-C meanwhile cancels it (see {@link CancelOnShutdown}).
     *
     * @param closeClient closes the client after a cancel on shutdown, so workers stop before the JVM exits
     * @throws InterruptedException if the waiting thread is interrupted
     */
    TrainingSnapshot follow(Training training, Runnable closeClient) throws InterruptedException {
        ProgressBar bar = new ProgressBar(err);
        try (CancelOnShutdown onShutdown = CancelOnShutdown.install(training, closeClient, err)) {
            TrainingSnapshot view = training.view();
            while (!view.state().isTerminal()) {
                if (showBar) {
                    bar.render(view, clock.instant());
                }
                view = training.await(TICK);
            }
            if (onShutdown.fired()) {
                // The JVM is exiting (Ctrl-C): the hook cancelled the training and reports it; print nothing more.
                Thread.sleep(Long.MAX_VALUE);
            }
            return view;
        } finally {
            bar.clear();
        }
    }
}
