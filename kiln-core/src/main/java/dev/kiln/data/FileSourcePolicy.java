package dev.kiln.data;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Applies {@code data_streams.file_source_base}: with a base, relative paths resolve against it and any path that
 * escapes it ({@code ..}, absolute, or a symlink out) is rejected; without one, paths are taken as given. Streams
 * opened under a policy check every file again, after resolving its links, at the moment they read it.
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
     * Resolves every path in {@code source} to an absolute one inside the base; a directory's data files are
     * checked too, so a link in it that leads out is refused now rather than when the training reads it.
     *
     * @throws KilnException INVALID_ARGUMENT naming the path or file that escapes the base
     */
    public DataSource resolve(DataSource source) {
        if (base == null) {
            return source;
        }
        DataSource resolved = source.mapPaths(this::resolvePath);
        if (resolved instanceof DataSource.Directory d && Files.isDirectory(Path.of(d.dirname()))) {
            DataFiles.of(resolved, this);
        }
        return resolved;
    }

    /**
     * The real path of a file about to be read, which must lie inside the base once its links are resolved; without
     * a base, or when the file does not exist (its reader reports that), {@code file} itself.
     *
     * @throws KilnException INVALID_ARGUMENT naming the file when its links lead outside the base
     */
    public Path requireReadable(Path file) {
        if (base == null) {
            return file;
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            return file;
        }
        Path realBase = NoFollowPaths.canonical(base);
        if (!real.startsWith(realBase)) {
            Path absolute = file.toAbsolutePath().normalize();
            String shown = absolute.startsWith(base) ? base.relativize(absolute).toString() : file.toString();
            throw KilnException.invalidArgument("Data file '" + NoFollowPaths.printable(shown)
                    + "' leads outside the data directory (data_streams.file_source_base) through a symbolic link");
        }
        return real;
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
