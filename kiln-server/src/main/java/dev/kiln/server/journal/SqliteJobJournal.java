package dev.kiln.server.journal;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.sqlite.SQLiteConfig;

/**
 * The embedded journal: one SQLite database in WAL mode with full syncs, written by one thread that commits
 * waiting writes together and read through a small pool of connections. A lock file keeps a second server away.
 */
public final class SqliteJobJournal implements JobJournal {
    private static final int READERS = 4;
    private static final String LIVE = "state IN ('QUEUED', 'RUNNING')";

    private final Path file;
    private final JournalLock lock;
    private final JournalWriter writer;
    private final JournalReaders readers;

    private SqliteJobJournal(Path file, JournalLock lock, JournalWriter writer, JournalReaders readers) {
        this.file = file;
        this.lock = lock;
        this.writer = writer;
        this.readers = readers;
    }

    /**
     * Opens (creating if needed) the journal at {@code file}.
     *
     * @throws KilnException FAILED_PRECONDITION if another server uses it, a newer Kiln wrote it or SQLite's
     *     {@code quick_check} finds it damaged, UNAVAILABLE if it cannot be opened
     */
    public static SqliteJobJournal open(Path file) {
        Path path = file.toAbsolutePath().normalize();
        try {
            Files.createDirectories(path.getParent());
        } catch (IOException e) {
            throw KilnException.failedPrecondition(
                    "Cannot create the directory of the journal " + path + ": " + e.getMessage());
        }
        SqliteNativeLibrary.extractBeside(path.getParent());
        JournalLock lock = JournalLock.acquire(path);
        Connection write = null;
        try {
            write = connect(path, false);
            JournalIntegrity.check(write, path);
            write.setAutoCommit(false);
            JournalSchema.apply(write, path);
            JournalWriter writer = new JournalWriter(write, "kiln-journal-writer");
            JournalReaders readers = new JournalReaders(READERS, () -> connect(path, true));
            return new SqliteJobJournal(path, lock, writer, readers);
        } catch (SQLException | RuntimeException e) {
            if (write != null) {
                try {
                    write.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            lock.close();
            if (e instanceof KilnException ke) {
                throw ke;
            }
            throw new KilnException(
                    ErrorCode.UNAVAILABLE, "Cannot open the journal " + path + ": " + e.getMessage(), e);
        }
    }

    private static Connection connect(Path path, boolean readOnly) {
        SQLiteConfig config = new SQLiteConfig();
        config.setBusyTimeout(10_000);
        if (!readOnly) {
            config.setJournalMode(SQLiteConfig.JournalMode.WAL);
            config.setSynchronous(SQLiteConfig.SynchronousMode.FULL);
        }
        try {
            Connection c = config.createConnection("jdbc:sqlite:" + path);
            if (readOnly) {
                try (Statement s = c.createStatement()) {
                    s.execute("PRAGMA query_only = 1");
                }
            }
            return c;
        } catch (SQLException e) {
            throw new KilnException(
                    ErrorCode.UNAVAILABLE, "Cannot open the journal " + path + ": " + e.getMessage(), e);
        }
    }

    /** The database file. */
    public Path file() {
        return file;
    }

    @Override
    public void recordSubmitted(JobRecord record) {
        String id = record.trainingId();
        writer.write("the submission of training " + id, c -> {
            try (PreparedStatement del = c.prepareStatement("DELETE FROM progress WHERE training_id = ?");
                    PreparedStatement ins = c.prepareStatement(JobRows.INSERT)) {
                del.setString(1, id);
                del.executeUpdate();
                JobRows.bindInsert(ins, record);
                ins.executeUpdate();
            }
        });
    }

    @Override
    public void recordStarted(String trainingId, Instant started) {
        writer.writeLater("the start of training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET state = 'RUNNING', started_ns = ? WHERE training_id = ? AND state = 'QUEUED'")) {
                ps.setLong(1, JobRows.nanos(started));
                ps.setString(2, trainingId);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void recordAttempts(String trainingId, List<Attempt> attempts) {
        writer.writeLater("the attempts of training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET attempts = ? WHERE training_id = ?")) {
                ps.setString(1, JobRows.attemptsJson(attempts));
                ps.setString(2, trainingId);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void recordProgress(String trainingId, Progress p) {
        writer.writeLater("progress of training " + trainingId, c -> {
            String metrics = JobRows.metricsJson(p.metrics());
            long at = JobRows.nanos(p.timestamp());
            int changed;
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET progress_step = ?, progress_total = ?,"
                    + " progress_metrics = ?, progress_ns = ? WHERE training_id = ? AND " + LIVE)) {
                ps.setLong(1, p.step());
                ps.setLong(2, p.total());
                ps.setString(3, metrics);
                ps.setLong(4, at);
                ps.setString(5, trainingId);
                changed = ps.executeUpdate();
            }
            if (changed > 0) {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO progress (training_id, step, total,"
                        + " metrics, reported_ns) VALUES (?, ?, ?, ?, ?)")) {
                    ps.setString(1, trainingId);
                    ps.setLong(2, p.step());
                    ps.setLong(3, p.total());
                    ps.setString(4, metrics);
                    ps.setLong(5, at);
                    ps.executeUpdate();
                }
            }
        });
    }

    @Override
    public void recordFinished(
            String trainingId, JobStatus state, Instant completed, List<JobError> errors, String logs) {
        if (!state.isTerminal()) {
            throw new IllegalArgumentException(state + " is not a terminal state");
        }
        writer.write("the end of training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE jobs SET state = ?, completed_ns = ?, errors = ?,"
                    + " logs = ? WHERE training_id = ? AND " + LIVE)) {
                ps.setString(1, state.name());
                ps.setLong(2, JobRows.nanos(completed));
                ps.setString(3, JobRows.errorsJson(errors));
                ps.setString(4, logs == null || logs.isEmpty() ? null : logs);
                ps.setString(5, trainingId);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public void recordResumed(String trainingId) {
        writer.write("the resumption of training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET state = 'QUEUED', started_ns = NULL WHERE training_id = ? AND " + LIVE)) {
                ps.setString(1, trainingId);
                ps.executeUpdate();
            }
        });
    }

    @Override
    public List<String> markInterrupted(Instant at, JobError reason, Set<String> spared) {
        List<String> sparedTrainers = List.copyOf(spared);
        String where = " WHERE " + LIVE
                + (sparedTrainers.isEmpty()
                        ? ""
                        : " AND trainer NOT IN (" + String.join(", ", Collections.nCopies(sparedTrainers.size(), "?"))
                                + ")");
        List<String> ids = new ArrayList<>();
        writer.write("interrupted trainings", c -> {
            ids.clear();
            try (PreparedStatement ps = c.prepareStatement("SELECT training_id FROM jobs" + where)) {
                bindTrainers(ps, 1, sparedTrainers);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE jobs SET state = 'ERRORED', completed_ns = ?," + " errors = ?" + where)) {
                ps.setLong(1, JobRows.nanos(at));
                ps.setString(2, JobRows.errorsJson(List.of(reason)));
                bindTrainers(ps, 3, sparedTrainers);
                ps.executeUpdate();
            }
        });
        return List.copyOf(ids);
    }

    private static void bindTrainers(PreparedStatement ps, int first, List<String> trainers) throws SQLException {
        for (int i = 0; i < trainers.size(); i++) {
            ps.setString(first + i, trainers.get(i));
        }
    }

    @Override
    public Optional<JobRecord> find(String trainingId) {
        return readers.read("training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT " + JobRows.SUMMARY_COLUMNS + ", parameters FROM jobs WHERE training_id = ?")) {
                ps.setString(1, trainingId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(JobRows.read(rs, true)) : Optional.empty();
                }
            }
        });
    }

    @Override
    public JobPage list(JobQuery query) {
        String where = query.states().isEmpty()
                ? ""
                : " WHERE state IN ("
                        + query.states().stream()
                                .map(s -> "'" + s.name() + "'")
                                .sorted()
                                .collect(Collectors.joining(", "))
                        + ")";
        return readers.read("the list of trainings", c -> {
            List<JobRecord> records = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT " + JobRows.SUMMARY_COLUMNS + " FROM jobs" + where
                    + " ORDER BY submitted_ns DESC, training_id DESC LIMIT ? OFFSET ?")) {
                ps.setInt(1, query.limit());
                ps.setInt(2, query.offset());
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        records.add(JobRows.read(rs, false));
                    }
                }
            }
            long total;
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT count(*) FROM jobs" + where)) {
                total = rs.next() ? rs.getLong(1) : 0;
            }
            return new JobPage(records, total);
        });
    }

    @Override
    public List<Progress> progress(String trainingId, long afterStep, int limit) {
        return readers.read("the progress of training " + trainingId, c -> {
            List<Progress> points = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT step, total, metrics, reported_ns FROM progress"
                    + " WHERE training_id = ? AND step > ? ORDER BY rowid LIMIT ?")) {
                ps.setString(1, trainingId);
                ps.setLong(2, afterStep);
                ps.setInt(3, limit);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        points.add(new Progress(
                                rs.getLong(1),
                                rs.getLong(2),
                                JobRows.metrics(rs.getString(3)),
                                JobRows.instant(rs.getLong(4))));
                    }
                }
            }
            return points;
        });
    }

    @Override
    public String logs(String trainingId) {
        return readers.read("the logs of training " + trainingId, c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT logs FROM jobs WHERE training_id = ?")) {
                ps.setString(1, trainingId);
                try (ResultSet rs = ps.executeQuery()) {
                    String logs = rs.next() ? rs.getString(1) : null;
                    return logs == null ? "" : logs;
                }
            }
        });
    }

    @Override
    public Map<JobStatus, Long> countByState() {
        return readers.read("the count of trainings", c -> {
            Map<JobStatus, Long> counts = new EnumMap<>(JobStatus.class);
            for (JobStatus s : JobStatus.values()) {
                counts.put(s, 0L);
            }
            try (Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT state, count(*) FROM jobs GROUP BY state")) {
                while (rs.next()) {
                    counts.put(JobStatus.valueOf(rs.getString(1)), rs.getLong(2));
                }
            }
            return counts;
        });
    }

    @Override
    public List<JobRecord> purgeFinishedBefore(String trainer, Instant cutoff) {
        List<JobRecord> purged = new ArrayList<>();
        long cutoffNanos = JobRows.nanos(cutoff);
        writer.write("the purge of trainings of trainer " + trainer, c -> {
            purged.clear();
            String condition = " WHERE trainer = ? AND completed_ns IS NOT NULL AND completed_ns < ? AND NOT " + LIVE;
            try (PreparedStatement ps =
                    c.prepareStatement("SELECT " + JobRows.SUMMARY_COLUMNS + " FROM jobs" + condition)) {
                ps.setString(1, trainer);
                ps.setLong(2, cutoffNanos);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        purged.add(JobRows.read(rs, false));
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM progress WHERE training_id = ?")) {
                for (JobRecord r : purged) {
                    ps.setString(1, r.trainingId());
                    ps.executeUpdate();
                }
            }
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM jobs" + condition)) {
                ps.setString(1, trainer);
                ps.setLong(2, cutoffNanos);
                ps.executeUpdate();
            }
        });
        return List.copyOf(purged);
    }

    @Override
    public void close() {
        writer.close();
        readers.close();
        lock.close();
    }
}
