package dev.kiln.server.jobs;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import java.nio.file.Path;

/**
 * Resolves a path a client gave against a base directory, refusing any path that leads out of it, by {@code ..},
 * as an absolute path, or through a symbolic link.
 */
final class ConfinedPaths {
    private ConfinedPaths() {}

    /**
     * {@code given} resolved against {@code base}; an absolute path is accepted only inside the base.
     *
     * @param what what the path is, for the message, such as {@code output_path}
     * @throws KilnException INVALID_ARGUMENT naming the path and the base
     */
    static Path resolve(Path base, String given, String what, String baseKey) {
        Path resolved = base.resolve(NoFollowPaths.parse(given, what)).normalize();
        if (!resolved.startsWith(base)) {
            throw KilnException.invalidArgument(what + " '" + given + "' leads outside " + baseKey + " (" + base + ")");
        }
        requireInside(base, resolved, what, given, baseKey);
        return resolved;
    }

    /**
     * Checks that {@code path}, with the symbolic links of its existing part resolved, is still inside {@code base}
     * with its links resolved.
     *
     * @param what the field that made the path, for the message
     * @param given the value of that field
     * @throws KilnException INVALID_ARGUMENT naming the field and the base
     */
    static void requireInside(Path base, Path path, String what, String given, String baseKey) {
        if (!NoFollowPaths.canonical(path).startsWith(NoFollowPaths.canonical(base))) {
            throw KilnException.invalidArgument(
                    what + " '" + given + "' leads outside " + baseKey + " (" + base + ") through a symbolic link");
        }
    }
}
