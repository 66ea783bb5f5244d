package dev.kiln.files;

import dev.kiln.error.KilnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Paths as they are on disk: {@link #canonical} resolves the links of the part that exists once, at the moment a
 * path is chosen; afterwards {@link #openDirectory} and {@link #deleteTree} walk it one segment at a time without
 * following any link, so a link that appears later is refused instead of followed.
 */
public final class NoFollowPaths {
    private static final LinkOption[] NOFOLLOW = {LinkOption.NOFOLLOW_LINKS};

    private NoFollowPaths() {}

    /**
     * {@code path} made absolute, normalised, and with the links of its longest existing prefix resolved; the
     * segments that do not exist yet are kept as given.
     *
     * @throws KilnException INVALID_ARGUMENT if the existing part cannot be resolved
     */
    public static Path canonical(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path existing = absolute;
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing == null) {
            return absolute;
        }
        try {
            return existing.toRealPath().resolve(existing.relativize(absolute)).normalize();
        } catch (IOException e) {
            throw KilnException.invalidArgument("Cannot resolve " + absolute + ": " + e.getMessage());
        }
    }

    /**
     * Opens the directory {@code dir}, creating the segments that are missing, one segment at a time from the
     * file-system root without following links: a link anywhere on the way is refused. The stream holds the
     * directory itself, so operations relative to it are not affected by later renames or links.
     *
     * @throws LinkRefusedException if a segment is a symbolic link (or became one while it was created)
     * @throws UncheckedIOException if a segment is not a directory or cannot be created
     */
    public static SecureDirectoryStream<Path> openDirectory(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path p = absolute.getRoot();
        SecureDirectoryStream<Path> current = openRoot(p);
        try {
            for (Path segment : absolute) {
                p = p.resolve(segment);
                SecureDirectoryStream<Path> next = openChild(current, segment, p);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException e) {
            closeQuietly(current);
            throw new UncheckedIOException("Cannot open directory " + absolute + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            closeQuietly(current);
            throw e;
        }
    }

    @SuppressWarnings("StreamResourceLeak") // the stream is returned open: the caller owns and closes it
    private static SecureDirectoryStream<Path> openRoot(Path root) {
        try {
            DirectoryStream<Path> stream = Files.newDirectoryStream(root);
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                return secure;
            }
            stream.close();
            throw new UnsupportedOperationException(
                    "This platform cannot open directories without following links (no SecureDirectoryStream)");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static SecureDirectoryStream<Path> openChild(SecureDirectoryStream<Path> parent, Path name, Path full)
            throws IOException {
        BasicFileAttributes attrs = attributes(parent, name);
        if (attrs == null) {
            try {
                Files.createDirectory(full);
            } catch (FileAlreadyExistsException raced) {
                // created meanwhile: checked below like any existing segment
            }
            attrs = attributes(parent, name);
            if (attrs == null) {
                throw new LinkRefusedException(full + " was moved or replaced while it was being created");
            }
        }
        if (attrs.isSymbolicLink()) {
            throw new LinkRefusedException(full + " is a symbolic link; Kiln does not write through links");
        }
        if (!attrs.isDirectory()) {
            throw new IOException(full + " is not a directory");
        }
        try {
            return parent.newDirectoryStream(name, NOFOLLOW);
        } catch (IOException e) {
            BasicFileAttributes now = attributes(parent, name);
            if (now != null && now.isSymbolicLink()) {
                throw new LinkRefusedException(full + " became a symbolic link; Kiln does not write through links");
            }
            throw e;
        }
    }

    /** The attributes of {@code name} in {@code dir} without following a link, or null if it does not exist. */
    public static BasicFileAttributes attributes(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        try {
            return dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW)
                    .readAttributes();
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /**
     * Deletes {@code path} and everything below it without following a link: a link on the way to it, or the path
     * itself being a link, is refused; links inside the tree are deleted, never followed. A missing path is fine.
     *
     * @throws LinkRefusedException if a segment on the way is a symbolic link
     * @throws UncheckedIOException if something cannot be deleted
     */
    public static void deleteTree(Path path) {
        Path absolute = path.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null) {
            throw new IllegalArgumentException("Refusing to delete the file-system root");
        }
        if (!Files.exists(absolute, NOFOLLOW)) {
            return;
        }
        try (SecureDirectoryStream<Path> dir = openExisting(parent)) {
            if (dir == null) {
                return;
            }
            Path name = absolute.getFileName();
            BasicFileAttributes attrs = attributes(dir, name);
            if (attrs == null) {
                return;
            }
            if (attrs.isSymbolicLink()) {
                throw new LinkRefusedException(absolute + " is a symbolic link; Kiln does not delete through links");
            }
            deleteEntry(dir, name, attrs);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + absolute + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the entry {@code name} of the held directory {@code dir} and, if a directory, all it holds. */
    public static void deleteEntry(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        BasicFileAttributes attrs = attributes(dir, name);
        if (attrs != null) {
            deleteEntry(dir, name, attrs);
        }
    }

    private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, BasicFileAttributes attrs)
            throws IOException {
        try {
            if (!attrs.isDirectory()) {
                dir.deleteFile(name);
                return;
            }
            try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, NOFOLLOW)) {
                List<Path> names = new ArrayList<>();
                child.forEach(p -> names.add(p.getFileName()));
                for (Path n : names) {
                    deleteEntry(child, n);
                }
            }
            dir.deleteDirectory(name);
        } catch (NoSuchFileException e) {
            // deleted by someone else meanwhile
        }
    }

    private static SecureDirectoryStream<Path> openExisting(Path dir) throws IOException {
        Path p = dir.getRoot();
        SecureDirectoryStream<Path> current = openRoot(p);
        try {
            for (Path segment : dir) {
                p = p.resolve(segment);
                BasicFileAttributes attrs = attributes(current, segment);
                if (attrs == null) {
                    current.close();
                    return null;
                }
                if (attrs.isSymbolicLink()) {
                    throw new LinkRefusedException(p + " is a symbolic link; Kiln does not delete through links");
                }
                SecureDirectoryStream<Path> next = current.newDirectoryStream(segment, NOFOLLOW);
                current.close();
                current = next;
            }
            return current;
        } catch (IOException | RuntimeException e) {
            closeQuietly(current);
            throw e;
        }
    }

    /**
     * {@code given} as a path, or an INVALID_ARGUMENT naming {@code field} when it holds a NUL, an unpaired
     * surrogate or anything else the file system cannot name.
     */
    public static Path parse(String given, String field) {
        if (!isWellFormed(given)) {
            throw KilnException.invalidArgument(
                    field + " '" + printable(given) + "' is not a valid path: it contains an unpaired surrogate");
        }
        try {
            return Path.of(given);
        } catch (InvalidPathException e) {
            throw KilnException.invalidArgument(
                    field + " '" + printable(given) + "' is not a valid path: " + e.getReason());
        }
    }

    /** Whether {@code s} is valid UTF-16: every surrogate is part of a pair. */
    public static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return false;
            }
        }
        return true;
    }

    /** {@code s} with control characters and unpaired surrogates shown as {@code \\uXXXX}, for messages. */
    public static String printable(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean pair =
                    Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
            if (pair) {
                out.append(c).append(s.charAt(++i));
            } else if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static void closeQuietly(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception ignored) {
            // already failing
        }
    }
}
