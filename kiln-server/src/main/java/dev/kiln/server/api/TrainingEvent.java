package dev.kiln.server.api;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One server-sent event about a training: {@code state} when its state changes (and first, with its current
 * state), {@code progress} when it reports progress.
 *
 * @param type {@code state} or {@code progress}
 * @param training the training right after the event
 */
public record TrainingEvent(String type, TrainingSummary training) {
    /** The event type of a state change. */
    public static final String STATE = "state";
    /** The event type of a progress report. */
    public static final String PROGRESS = "progress";

    /** Whether this event reports a terminal state: the last event of a training's stream. */
    @JsonIgnore
    public boolean isTerminal() {
        return STATE.equals(type) && training.state().isTerminal();
    }
}
