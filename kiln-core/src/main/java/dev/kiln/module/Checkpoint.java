package dev.kiln.module;

import java.util.Objects;

/**
 * A module's state at one step of a training, as it saved it, so a later attempt can resume there.
 *
 * @param step the step the state belongs to, such as the number of epochs done
 * @param state the module's own encoding of its state; not copied, since a model's state may be large, and compared
 *     by identity in {@code equals}
 */
@SuppressWarnings("ArrayRecordComponent") // the state is handed over, not copied: it may be as large as the model
public record Checkpoint(long step, byte[] state) {
    public Checkpoint {
        if (step < 0) {
            throw new IllegalArgumentException("A checkpoint's step must not be negative, got " + step);
        }
        Objects.requireNonNull(state, "state");
    }
}
