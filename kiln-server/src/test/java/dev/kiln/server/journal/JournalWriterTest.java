package dev.kiln.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;

/** The journal's writer keeps its transaction through failures and never strands a write at close. */
class JournalWriterTest {
    @TempDir
    Path tmp;

    private Connection connection;
    private JournalWriter writer;

    @BeforeEach
    void open() throws SQLException {
        connection = new SQLiteConfig().createConnection("jdbc:sqlite:" + tmp.resolve("w.db"));
        connection.setAutoCommit(false);
        try (Statement s = connection.createStatement()) {
            s.execute("CREATE TABLE t (v INTEGER)");
        }
        connection.commit();
        writer = new JournalWriter(connection, "test-journal-writer");
    }

    @AfterEach
    void close() {
        writer.close();
    }

    private static JournalWriter.Work insert(int v) {
        return c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO t VALUES (" + v + ")");
            }
        };
    }

    private List<Integer> committed() throws SQLException {
        List<Integer> values = new ArrayList<>();
        try (Connection reader = new SQLiteConfig().createConnection("jdbc:sqlite:" + tmp.resolve("w.db"));
                Statement s = reader.createStatement();
                ResultSet rs = s.executeQuery("SELECT v FROM t ORDER BY v")) {
            while (rs.next()) {
                values.add(rs.getInt(1));
            }
        }
        return values;
    }

    @Test
    void aTransactionSqliteEndedItselfIsBegunAgainSoLaterWritesCommit() throws Exception {
        // SQLite ends a transaction on its own after an I/O error, a full disk or an interrupt; ending it here has
        // the same effect on the writer: its commit finds no transaction
        assertThatThrownBy(() -> writer.write("the sabotage", c -> {
                    try (Statement s = c.createStatement()) {
                        s.execute("COMMIT");
                    }
                }))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("the sabotage")
                .hasMessageContaining("no transaction is active");

        writer.write("one", insert(1));
        writer.write("two", insert(2));

        assertThat(committed()).containsExactly(1, 2);
    }

    @Test
    void aWriteRacingTheCloseIsAppliedOrRefusedNeverStranded() throws Exception {
        int writers = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Boolean>> outcomes = new ArrayList<>();
            for (int i = 0; i < writers; i++) {
                int v = i;
                outcomes.add(pool.submit(() -> {
                    go.await();
                    for (int n = 0; ; n++) {
                        try {
                            writer.write("write " + v + "/" + n, insert(v * 1_000_000 + n));
                        } catch (KilnException closed) {
                            return closed.getMessage().contains("The journal is closed");
                        }
                    }
                }));
            }
            go.countDown();
            writer.close();
            for (Future<Boolean> f : outcomes) {
                assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }
}
