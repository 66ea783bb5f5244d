package dev.kiln.data;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Applies {@code data_streams.file_source_base}: with a base, relative paths resolve against it and any path that
 * escapes it ({@code ..}, absolute, or a symlink out) is rejected; without one, paths are taken as given.
 */
public final class FileSourcePolicy {
    private final Path base;

    private FileSourcePolicy(Path base) {
        this.base = base;
    }

    /** A policy that takes paths as given (library and CLI use). */
    public static FileSourcePolicy unrestricted() {
        return new FileSourcePolicy(null);
    }

    /** A policy that confines paths to {@code base}. */
    public static FileSourcePolicy confinedTo(Path base) {
        return new FileSourcePolicy(base.toAbsolutePath().normalize());
    }

    /** The base, if paths are confined. */
    public Optional<Path> base() {
        return Optional.ofNullable(base);
    }

    /**
     * Resolves every path in {@code source} to an absolute one inside the base.
     *
     * @throws KilnException INVALID_ARGUMENT naming the path that escapes the base
     */
    public DataSource resolve(DataSource source) {
        if (base == null) {
            return source;
        }
        return source.mapPaths(this::resolvePath);
    }

    /** Resolves one path against the base, rejecting escapes, symbolic links out, and text that is not a path. */
    public String resolvePath(String given) {
        if (base == null) {
            NoFollowPaths.parse(given, "Data path");
            return given;
        }
        Path p = NoFollowPaths.parse(given, "Data path");
        if (p.isAbsolute()) {
            throw KilnException.invalidArgument(
                    "Data path '" + given + "' must be relative to the data directory (data_streams.file_source_base)");
        }
        Path resolved = base.resolve(p).normalize();
        if (!resolved.startsWith(base)) {
            throw KilnException.invalidArgument("Data path '" + given + "' escapes the data directory");
        }
        if (!NoFollowPaths.canonical(resolved).startsWith(NoFollowPaths.canonical(base))) {
            throw KilnException.invalidArgument(
                    "Data path '" + given + "' leads outside the data directory through a symbolic link");
        }
        return resolved.toString();
    }
}
