package dev.kiln.testing;

import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * A {@link TrainerScheduler} on fake time: nothing runs until a test calls {@link #advance}, which moves the
 * {@link FakeClock} forward and runs, on the calling thread and in time order, every task that falls due on the way
 * (each at its own due time, so a task sees the clock at the moment it was meant to run).
 */
public final class FakeScheduler implements TrainerScheduler {
    private final FakeClock clock;
    private final PriorityQueue<Task> due =
            new PriorityQueue<>(Comparator.comparing((Task t) -> t.at).thenComparingLong(t -> t.order));
    private long scheduled; // guarded by this
    private boolean closed; // guarded by this

    public FakeScheduler(FakeClock clock) {
        this.clock = clock;
    }

    public FakeScheduler() {
        this(new FakeClock());
    }

    /** The clock this scheduler moves; give it to the trainer too. */
    public FakeClock clock() {
        return clock;
    }

    @Override
    public Cancellable schedule(Runnable task, Duration delay) {
        return add(task, delay, null);
    }

    @Override
    public Cancellable scheduleWithFixedDelay(Runnable task, Duration period) {
        return add(task, period, period);
    }

    private synchronized Cancellable add(Runnable run, Duration delay, Duration period) {
        if (closed) {
            return () -> {};
        }
        Task task = new Task(run, clock.instant().plus(delay), period, scheduled++);
        due.add(task);
        return () -> cancel(task);
    }

    private synchronized void cancel(Task task) {
        task.cancelled = true;
        due.remove(task);
    }

    /** Moves time forward by {@code d}, running every task that falls due, repeating ones as often as they do. */
    public void advance(Duration d) {
        Instant end = clock.instant().plus(d);
        Task next;
        while ((next = nextDue(end)) != null) {
            next.run.run();
            reschedule(next);
        }
        clock.set(end);
    }

    private synchronized Task nextDue(Instant end) {
        Task head = due.peek();
        if (head == null || head.at.isAfter(end)) {
            return null;
        }
        due.poll();
        if (head.at.isAfter(clock.instant())) {
            clock.set(head.at);
        }
        return head;
    }

    private synchronized void reschedule(Task task) {
        if (task.period != null && !task.cancelled && !closed) {
            task.at = clock.instant().plus(task.period);
            task.order = scheduled++;
            due.add(task);
        }
    }

    /** The fake clock's instant in nanoseconds since the epoch: it moves only when {@link #advance} moves it. */
    @Override
    public long nanoTime() {
        Instant now = clock.instant();
        return Math.addExact(Math.multiplyExact(now.getEpochSecond(), 1_000_000_000L), now.getNano());
    }

    /** When the waiting tasks fall due, earliest first. */
    public synchronized List<Instant> dueTimes() {
        return due.stream().map(t -> t.at).sorted().toList();
    }

    /** How many tasks wait to run. */
    public synchronized int pending() {
        return due.size();
    }

    @Override
    public synchronized void close() {
        closed = true;
        due.clear();
    }

    private static final class Task {
        final Runnable run;
        final Duration period;
        Instant at;
        long order;
        volatile boolean cancelled;

        Task(Runnable run, Instant at, Duration period, long order) {
            this.run = run;
            this.at = at;
            this.period = period;
            this.order = order;
        }
    }
}
