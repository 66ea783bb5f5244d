package dev.kiln.cli.client;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.server.client.KilnClient;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A training on a Kiln server, followed through its event stream: the first wait starts a watcher thread that keeps
 * the latest snapshot from the stream's progress and state events; once the training ends, its full record (errors
 * with their stacks) is read once more. Waits never poll the server.
 */
final class RemoteTraining implements Training {
    private final KilnClient client;
    private final String id;
    private final AtomicReference<TrainingSnapshot> latest;
    private final CompletableFuture<TrainingSnapshot> end = new CompletableFuture<>();
    private Thread watcher;
    private boolean stopped;

    /**
     * @param first the training as the server described it right after accepting it
     */
    RemoteTraining(KilnClient client, TrainingSnapshot first) {
        this.client = client;
        this.id = first.trainingId();
        this.latest = new AtomicReference<>(first);
    }

    @Override
    public String id() {
        return id;
    }

    /** The latest snapshot the event stream brought (or the first, before any wait). */
    @Override
    public TrainingSnapshot view() {
        TrainingSnapshot done = end.getNow(null);
        return done != null ? done : latest.get();
    }

    /**
     * Waits at most {@code timeout} for the training to end.
     *
     * @throws KilnException UNAVAILABLE if the event stream was lost before the training ended
     */
    @Override
    public TrainingSnapshot await(Duration timeout) throws InterruptedException {
        startWatching();
        try {
            return end.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            return latest.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new KilnException(
                    ErrorCode.INTERNAL, "Following training " + id + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Asks the server to cancel the training; the event stream then brings its end. */
    @Override
    public void cancel() {
        client.cancel(id);
    }

    private synchronized void startWatching() {
        if (watcher != null || stopped) {
            return;
        }
        watcher = new Thread(this::watch, "kiln-watch-" + id);
        watcher.setDaemon(true);
        watcher.start();
    }

    private void watch() {
        try {
            client.watch(id, event -> latest.set(ServerViews.training(event.training())));
            end.complete(ServerViews.training(client.detail(id)));
        } catch (InterruptedException e) {
            failUnlessStopped(new KilnException(ErrorCode.UNAVAILABLE, "Stopped following training " + id));
        } catch (KilnException e) {
            failUnlessStopped(e.code() == ErrorCode.UNAVAILABLE ? lost(e) : e);
        } catch (RuntimeException e) {
            failUnlessStopped(e);
        }
    }

    /** Ends the wait with an error, unless the watcher was stopped on purpose (the command is ending). */
    private synchronized void failUnlessStopped(RuntimeException e) {
        if (!stopped) {
            end.completeExceptionally(e);
        }
    }

    private KilnException lost(KilnException e) {
        return new KilnException(
                ErrorCode.UNAVAILABLE,
                "Lost track of training " + id + ": " + e.getMessage() + ". Ask about it again with: kiln status " + id
                        + " --server " + client.baseUri(),
                e);
    }

    /** Stops the watcher thread, if any; the training itself goes on at the server. */
    synchronized void stopWatching() {
        stopped = true;
        if (watcher != null) {
            watcher.interrupt();
        }
    }
}
