package dev.kiln.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.server.testing.ServerProcess;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A journal SQLite finds damaged stops the start, naming the file and the way out; a healthy one stops cleanly. */
class DamagedJournalTest {
    @TempDir
    Path tmp;

    private Path journalWithRows() {
        Path file = tmp.resolve("journal.db");
        try (SqliteJobJournal journal = SqliteJobJournal.open(file)) {
            for (int i = 0; i < 300; i++) {
                journal.recordSubmitted(SqliteJobJournalTest.record("t" + i, Instant.EPOCH.plusSeconds(i)));
            }
        }
        return file;
    }

    private static int pageSize(Path file) throws SQLException {
        return (int) pragma(file, "PRAGMA page_size");
    }

    private static long pragma(Path file, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    private static void garblePage(Path file, long page, int pageSize) throws IOException {
        byte[] junk = new byte[pageSize];
        Arrays.fill(junk, (byte) 0x5a);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(junk), (page - 1) * pageSize);
        }
    }

    private static void assertRefusedNaming(Path file) {
        assertThatThrownBy(() -> SqliteJobJournal.open(file))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION))
                .hasMessageContaining("The journal " + file + " is damaged")
                .hasMessageContaining("Restore it from a backup")
                .hasMessageContaining("start again with a new, empty journal");
    }

    @Test
    void aGarbledLastPageIsRefused() throws Exception {
        Path file = journalWithRows();
        int pageSize = pageSize(file);
        long pages = Files.size(file) / pageSize;
        garblePage(file, pages, pageSize);

        assertRefusedNaming(file);
    }

    @Test
    void aGarbledTableRootIsRefused() throws Exception {
        Path file = journalWithRows();
        int pageSize = pageSize(file);
        long root = pragma(file, "SELECT rootpage FROM sqlite_master WHERE name = 'jobs'");
        garblePage(file, root, pageSize);

        assertRefusedNaming(file);
    }

    @Test
    void aServerOnADamagedJournalDoesNotStart() throws Exception {
        Path file = journalWithRows();
        int pageSize = pageSize(file);
        garblePage(file, Files.size(file) / pageSize, pageSize);

        assertThatThrownBy(() -> ServerProcess.start(tmp, TestServer.config(tmp, ""), "damaged"))
                .hasMessageContaining("The journal " + file + " is damaged")
                .hasMessageContaining("Restore it from a backup");
    }

    @Test
    void aServerStopsCleanlyAndLeavesNothingInTheTemporaryDirectory() throws Exception {
        Path javaTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        ServerProcess server =
                ServerProcess.start(tmp, TestServer.config(tmp, ""), "clean", List.of("-Djava.io.tmpdir=" + javaTmp));
        assertThat(server.http().get("/health").status()).isEqualTo(200);
        try (Stream<Path> extracted = Files.list(tmp.resolve(SqliteNativeLibrary.DIRECTORY))) {
            assertThat(extracted.map(p -> p.getFileName().toString())).anyMatch(n -> n.endsWith("libsqlitejdbc.so"));
        }
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertThat(left).isEmpty();
        }

        assertThat(server.terminate()).isEqualTo(143);

        assertThat(server.stderr() + server.stdout())
                .contains("Kiln server stopped")
                .doesNotContain("Exception")
                .doesNotContain("cannot commit");
        try (Stream<Path> left = Files.list(javaTmp)) {
            assertThat(left).isEmpty();
        }
    }
}
