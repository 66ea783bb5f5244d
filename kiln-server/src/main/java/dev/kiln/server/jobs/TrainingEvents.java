package dev.kiln.server.jobs;

import dev.kiln.server.api.TrainingEvent;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Fans job events out to event-stream subscribers. Publishing never blocks the training thread: each subscriber
 * has its own queue, and a subscriber too slow to keep up loses progress events (never state changes).
 */
public final class TrainingEvents implements JobListener {
    /** How many events a subscriber may have waiting before its progress events are dropped. */
    static final int PROGRESS_BACKLOG = 1_000;

    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private final Object drained = new Object();
    private volatile boolean closed;

    /**
     * Subscribes to the events of one training, or of every training when {@code trainingId} is null.
     * Subscribe before reading the current state, so no change falls between the two.
     */
    public Subscription subscribe(String trainingId) {
        Subscription s = new Subscription(trainingId);
        subscriptions.add(s);
        if (closed) {
            s.end();
        }
        return s;
    }

    @Override
    public void onEvent(JobEvent event) {
        if (subscriptions.isEmpty()) {
            return;
        }
        String type = event.kind() == JobEvent.Kind.PROGRESS ? TrainingEvent.PROGRESS : TrainingEvent.STATE;
        TrainingEvent message = new TrainingEvent(
                type, TrainingView.of(event.future(), event.info()).toSummary());
        for (Subscription s : subscriptions) {
            if (s.trainingId == null || s.trainingId.equals(event.future().id())) {
                s.offer(message);
            }
        }
    }

    /** Ends every subscription: their streams finish. */
    public void close() {
        closed = true;
        subscriptions.forEach(Subscription::end);
    }

    /**
     * Waits at most {@code timeout} for every subscriber to let go (their streams have finished).
     *
     * @return whether all let go in time
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public boolean awaitUnsubscribed(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (drained) {
            while (!subscriptions.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(drained, left);
            }
        }
        return true;
    }

    /** A subscriber's queue of events. */
    public final class Subscription implements AutoCloseable {
        private static final TrainingEvent END = new TrainingEvent("end", null);

        private final String trainingId;
        private final BlockingQueue<TrainingEvent> queue = new LinkedBlockingQueue<>();

        private Subscription(String trainingId) {
            this.trainingId = trainingId;
        }

        private void offer(TrainingEvent e) {
            if (TrainingEvent.PROGRESS.equals(e.type()) && queue.size() >= PROGRESS_BACKLOG) {
                return;
            }
            queue.add(e);
        }

        private void end() {
            queue.add(END);
        }

        /**
         * The next event, waiting at most {@code timeout}.
         *
         * @return the event, or null if none came in time
         * @throws Ended if the server is shutting down and the stream should end
         * @throws InterruptedException if the waiting thread is interrupted
         */
        public TrainingEvent next(Duration timeout) throws InterruptedException, Ended {
            TrainingEvent e = queue.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
            if (END.equals(e)) {
                queue.add(END);
                throw new Ended();
            }
            return e;
        }

        @Override
        public void close() {
            subscriptions.remove(this);
            synchronized (drained) {
                drained.notifyAll();
            }
        }
    }

    /** Thrown to a subscriber when the server ends all event streams. */
    public static final class Ended extends Exception {
        private static final long serialVersionUID = 1L;

        Ended() {
            super("the server is shutting down", null, false, false);
        }
    }
}
