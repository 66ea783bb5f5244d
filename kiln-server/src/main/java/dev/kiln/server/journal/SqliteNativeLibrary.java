package dev.kiln.server.journal;

import dev.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where sqlite-jdbc extracts its native library. By default it writes a new {@code sqlite-*-libsqlitejdbc.so} and its
 * {@code .lck} into {@code java.io.tmpdir} on every start; Kiln points it at a directory of its own instead, unless
 * {@code org.sqlite.tmpdir} is already set.
 */
final class SqliteNativeLibrary {
    /** sqlite-jdbc's system property naming the extraction directory. */
    static final String TMPDIR_PROPERTY = "org.sqlite.tmpdir";

    /** The directory, beside the journal, that Kiln uses when the property is not set. */
    static final String DIRECTORY = ".sqlite-native";

    private SqliteNativeLibrary() {}

    /**
     * Sets the extraction directory to {@code journalDir/.sqlite-native} if nobody chose one; must run before the
     * first connection loads the library.
     */
    static synchronized void extractBeside(Path journalDir) {
        if (System.getProperty(TMPDIR_PROPERTY) != null) {
            return;
        }
        Path dir = journalDir.resolve(DIRECTORY);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw KilnException.failedPrecondition(
                    "Cannot create " + dir + " for SQLite's native library: " + e.getMessage());
        }
        System.setProperty(TMPDIR_PROPERTY, dir.toString());
    }
}
