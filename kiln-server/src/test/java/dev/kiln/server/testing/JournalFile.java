package dev.kiln.server.testing;

import dev.kiln.job.JobStatus;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a journal's rows straight from its SQLite file, beside (or after) the server that writes it. */
public final class JournalFile {
    private final Path file;

    public JournalFile(Path file) {
        this.file = file;
    }

    /**
     * One training's row.
     *
     * @param state its state column
     * @param errors its errors column (JSON)
     * @param completedNanos its completion time, or null
     */
    public record Row(JobStatus state, String errors, Long completedNanos) {}

    /** The row of training {@code id}. */
    public Row row(String id) {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                PreparedStatement ps =
                        c.prepareStatement("SELECT state, errors, completed_ns FROM jobs" + " WHERE training_id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                if (!rs.next()) {
                    throw new AssertionError("The journal " + file + " has no row for training " + id);
                }
                JobStatus state = JobStatus.valueOf(rs.getString(1));
                String errors = rs.getString(2);
                long completed = rs.getLong(3);
                return new Row(state, errors, rs.wasNull() ? null : completed);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot read the journal " + file + ": " + e.getMessage(), e);
        }
    }

    /** The state of training {@code id}. */
    public JobStatus state(String id) {
        return row(id).state();
    }
}
