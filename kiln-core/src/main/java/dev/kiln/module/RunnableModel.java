package dev.kiln.module;

/**
 * A model that can run on one input, with input and output types that round-trip through JSON.
 *
 * @param <I> the input type
 * @param <O> the output type
 */
public interface RunnableModel<I, O> extends Model {
    /** The input's type, so callers can convert JSON into it. */
    Class<I> inputType();

    /** Runs the model on one input. */
    O run(I input);
}
