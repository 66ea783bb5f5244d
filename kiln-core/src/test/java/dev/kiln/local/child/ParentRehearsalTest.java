package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParentRehearsalTest {
    @TempDir
    Path tmp;

    @Test
    void rehearsesInAPrivateScratchDirectoryAndLeavesNothingBehind() throws Exception {
        Path scratch = tmp.resolve("work").resolve(".warm-up");

        assertThat(ParentRehearsal.run(scratch)).isTrue();

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(scratch)))
                .isEqualTo("rwx------");
        try (Stream<Path> left = Files.list(scratch)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void writesNothingThroughALinkedScratchDirectory() throws Exception {
        Path elsewhere = Files.createDirectory(tmp.resolve("elsewhere"));
        Path work = Files.createDirectory(tmp.resolve("work"));
        Path scratch = Files.createSymbolicLink(work.resolve(".warm-up"), elsewhere);

        assertThat(ParentRehearsal.run(scratch)).isFalse();

        try (Stream<Path> written = Files.list(elsewhere)) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void writesNothingInAScratchDirectoryOthersMayWriteTo() throws Exception {
        Path scratch = Files.createDirectories(tmp.resolve("work").resolve(".warm-up"));
        Files.setPosixFilePermissions(scratch, PosixFilePermissions.fromString("rwxrwxrwx"));

        assertThat(ParentRehearsal.run(scratch)).isFalse();

        try (Stream<Path> written = Files.list(scratch)) {
            assertThat(written).isEmpty();
        }
    }

    @Test
    void aScratchPathThatIsAFileOnlyMeansNoRehearsal() throws Exception {
        Path scratch = Files.writeString(tmp.resolve(".warm-up"), "not a directory");

        assertThat(ParentRehearsal.run(scratch)).isFalse();

        assertThat(Files.readString(scratch)).isEqualTo("not a directory");
    }
}
