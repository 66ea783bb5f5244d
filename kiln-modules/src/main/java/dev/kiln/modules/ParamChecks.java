package dev.kiln.modules;

import dev.kiln.error.KilnException;

/** Checks on parameter values that fail with INVALID_ARGUMENT naming the parameter, before any training work. */
public final class ParamChecks {
    private ParamChecks() {}

    /**
     * Requires {@code value >= min}.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter and the value
     */
    public static void atLeast(String name, long value, long min) {
        if (value < min) {
            throw KilnException.invalidArgument("Parameter '" + name + "' must be at least " + min + "; got " + value);
        }
    }

    /**
     * Requires {@code min <= value <= max}.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter and the value
     */
    public static void between(String name, long value, long min, long max) {
        if (value < min || value > max) {
            throw KilnException.invalidArgument(
                    "Parameter '" + name + "' must be between " + min + " and " + max + "; got " + value);
        }
    }

    /**
     * Requires a finite value greater than zero.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter and the value
     */
    public static void positive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw KilnException.invalidArgument(
                    "Parameter '" + name + "' must be a finite number greater than 0; got " + value);
        }
    }

    /**
     * Requires {@code 0 <= value < 1}.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter and the value
     */
    public static void fraction(String name, double value) {
        if (!(value >= 0 && value < 1)) {
            throw KilnException.invalidArgument(
                    "Parameter '" + name + "' must be at least 0 and below 1; got " + value);
        }
    }

    /**
     * Requires a value to be present.
     *
     * @throws KilnException INVALID_ARGUMENT naming the parameter
     */
    public static void present(String name, Object value) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw KilnException.invalidArgument("Parameter '" + name + "' is required");
        }
    }
}
