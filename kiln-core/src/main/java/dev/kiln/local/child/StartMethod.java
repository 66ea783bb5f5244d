package dev.kiln.local.child;

import dev.kiln.error.KilnException;
import java.util.Locale;

/** How a LOCAL trainer with {@code use_subprocess: true} starts its child JVMs. */
public enum StartMethod {
    /** A fresh JVM per job (caikit's default). */
    SPAWN,
    /** Pre-started idle JVMs, each taking exactly one job and then exiting. */
    FORKSERVER;

    /**
     * Parses {@code subprocess_start_method}.
     *
     * @throws KilnException INVALID_ARGUMENT for {@code fork} (a JVM cannot fork) or any unknown value
     */
    public static StartMethod parse(String key, String value) {
        String v = value == null ? "spawn" : value.trim().toLowerCase(Locale.ROOT);
        return switch (v) {
            case "spawn" -> SPAWN;
            case "forkserver" -> FORKSERVER;
            case "fork" ->
                throw KilnException.invalidArgument("Invalid value 'fork' for " + key
                        + ": a JVM cannot fork a copy of itself; use 'spawn' (a fresh JVM per job) or 'forkserver' "
                        + "(pre-started JVMs, one per job)");
            default ->
                throw KilnException.invalidArgument(
                        "Invalid value '" + value + "' for " + key + ": supported values are 'spawn' and 'forkserver'");
        };
    }
}
