package dev.kiln.server.jobs;

import dev.kiln.error.KilnException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/** Resolves a path a client gave against a base directory, refusing any path that leads out of it. */
final class ConfinedPaths {
    private ConfinedPaths() {}

    /**
     * {@code given} resolved against {@code base}; an absolute path is accepted only inside the base.
     *
     * @param what what the path is, for the message, such as {@code output_path}
     * @throws KilnException INVALID_ARGUMENT naming the path and the base
     */
    static Path resolve(Path base, String given, String what, String baseKey) {
        Path p;
        try {
            p = Path.of(given);
        } catch (InvalidPathException e) {
            throw KilnException.invalidArgument(what + " '" + given + "' is not a valid path: " + e.getReason());
        }
        Path resolved = base.resolve(p).normalize();
        if (!resolved.startsWith(base)) {
            throw KilnException.invalidArgument(what + " '" + given + "' leads outside " + baseKey + " (" + base + ")");
        }
        return resolved;
    }
}
