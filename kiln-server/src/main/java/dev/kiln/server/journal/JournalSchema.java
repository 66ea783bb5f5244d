package dev.kiln.server.journal;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The journal's tables, created on first open and checked on every open. */
final class JournalSchema {
    /** The schema version kept in {@code PRAGMA user_version}. */
    static final int VERSION = 2;

    /**
     * Columns added after the first version, each with the version that added it; a journal that lacks one gets it
     * (with its default) when it is opened, so older journals keep opening.
     */
    private static final List<Column> ADDED =
            List.of(new Column(2, "priority", "INTEGER NOT NULL DEFAULT 0"), new Column(2, "attempts", "TEXT"));

    private record Column(int version, String name, String definition) {}

    private static final List<String> DDL = List.of(
            """
            CREATE TABLE IF NOT EXISTS jobs (
              training_id       TEXT PRIMARY KEY,
              trainer           TEXT NOT NULL,
              module_id         TEXT NOT NULL,
              module_name       TEXT NOT NULL,
              module_version    TEXT NOT NULL,
              module_task       TEXT NOT NULL,
              module_class      TEXT NOT NULL,
              model_name        TEXT,
              parameters        TEXT,
              options           TEXT NOT NULL,
              save_path         TEXT,
              save_path_existed INTEGER NOT NULL DEFAULT 0,
              state             TEXT NOT NULL,
              submitted_ns      INTEGER NOT NULL,
              started_ns        INTEGER,
              completed_ns      INTEGER,
              errors            TEXT NOT NULL DEFAULT '[]',
              progress_step     INTEGER,
              progress_total    INTEGER,
              progress_metrics  TEXT,
              progress_ns       INTEGER,
              logs              TEXT
            )""",
            "CREATE INDEX IF NOT EXISTS jobs_by_submission ON jobs (submitted_ns DESC, training_id DESC)",
            "CREATE INDEX IF NOT EXISTS jobs_by_state ON jobs (state, submitted_ns DESC)",
            "CREATE INDEX IF NOT EXISTS jobs_by_completion ON jobs (trainer, completed_ns)"
                    + " WHERE completed_ns IS NOT NULL",
            """
            CREATE TABLE IF NOT EXISTS progress (
              training_id TEXT NOT NULL,
              step        INTEGER NOT NULL,
              total       INTEGER NOT NULL,
              metrics     TEXT NOT NULL,
              reported_ns INTEGER NOT NULL
            )""",
            "CREATE INDEX IF NOT EXISTS progress_by_training ON progress (training_id)");

    private JournalSchema() {}

    /**
     * Creates the tables if they are missing and checks the version.
     *
     * @throws KilnException FAILED_PRECONDITION if a newer Kiln wrote the journal
     */
    static void apply(Connection connection, Path file) throws SQLException {
        try (Statement s = connection.createStatement()) {
            int version;
            try (ResultSet rs = s.executeQuery("PRAGMA user_version")) {
                version = rs.next() ? rs.getInt(1) : 0;
            }
            if (version > VERSION) {
                throw KilnException.failedPrecondition("The journal " + file + " has schema version " + version
                        + ", newer than this Kiln understands (" + VERSION + ")");
            }
            for (String ddl : DDL) {
                s.executeUpdate(ddl);
            }
            addMissingColumns(s);
            s.executeUpdate("PRAGMA user_version = " + VERSION);
        }
        connection.commit();
    }

    private static void addMissingColumns(Statement s) throws SQLException {
        Set<String> present = new HashSet<>();
        try (ResultSet rs = s.executeQuery("PRAGMA table_info(jobs)")) {
            while (rs.next()) {
                present.add(rs.getString("name"));
            }
        }
        for (Column c : ADDED) {
            if (!present.contains(c.name())) {
                s.executeUpdate("ALTER TABLE jobs ADD COLUMN " + c.name() + " " + c.definition());
            }
        }
    }
}
