package dev.kiln.time;

/** A task a {@link TrainerScheduler} holds; cancelling it keeps it from running again. */
@FunctionalInterface
public interface Cancellable {
    /** Keeps the task from running (again); a run already under way finishes. Cancelling twice does nothing. */
    void cancel();
}
