package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateDirectoriesTest {
    @TempDir
    Path tmp;

    @Test
    void createdDirectoriesAreOwnerOnlyAndTrusted() throws Exception {
        Path dir = PrivateDirectories.create(tmp.resolve("a").resolve("b"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)))
                .isEqualTo("rwx------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.getParent())))
                .isEqualTo("rwx------");
        assertThat(PrivateDirectories.trusted(dir)).isTrue();
    }

    @Test
    void aDirectoryOthersMayWriteToIsNotTrusted() throws Exception {
        Path shared = Files.createDirectory(tmp.resolve("shared"));
        Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
        assertThat(PrivateDirectories.trusted(shared)).isFalse();
        assertThat(PrivateDirectories.trusted(tmp.resolve("missing"))).isFalse();
    }
}
