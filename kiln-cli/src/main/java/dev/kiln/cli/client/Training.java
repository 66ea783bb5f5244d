package dev.kiln.cli.client;

import java.time.Duration;

/** A training started through a client: follow it, wait for it, cancel it. */
public interface Training {
    /** The training id. */
    String id();

    /** A fresh snapshot. */
    TrainingSnapshot view();

    /**
     * Waits at most {@code timeout} for the training to end.
     *
     * @return the snapshot when the wait ended, terminal or not
     * @throws InterruptedException if the waiting thread is interrupted
     */
    TrainingSnapshot await(Duration timeout) throws InterruptedException;

    /** Cancels the training and lets its worker wind down; cancelling an ended training changes nothing. */
    void cancel();
}
