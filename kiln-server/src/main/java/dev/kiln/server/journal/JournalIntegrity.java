package dev.kiln.server.journal;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** SQLite's {@code PRAGMA quick_check} at open, so a damaged journal stops the start instead of failing requests. */
final class JournalIntegrity {
    private static final int MAX_PROBLEMS = 5;

    private JournalIntegrity() {}

    /**
     * Checks the journal's pages, tables and indexes.
     *
     * @throws KilnException FAILED_PRECONDITION naming {@code file}, what is wrong and how to recover
     */
    static void check(Connection connection, Path file) {
        List<String> problems = new ArrayList<>();
        try (Statement s = connection.createStatement();
                ResultSet rs = s.executeQuery("PRAGMA quick_check(" + MAX_PROBLEMS + ")")) {
            while (rs.next()) {
                problems.add(rs.getString(1));
            }
        } catch (SQLException e) {
            problems.add(e.getMessage());
        }
        if (problems.equals(List.of("ok"))) {
            return;
        }
        throw KilnException.failedPrecondition("The journal " + file + " is damaged (" + String.join("; ", problems)
                + "). Restore it from a backup, or move it (with any " + file.getFileName() + "-wal and "
                + file.getFileName() + "-shm beside it) aside to keep it and start again with a new, empty journal");
    }
}
