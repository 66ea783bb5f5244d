package dev.kiln.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NoFollowPathsTest {
    @TempDir
    Path tmp;

    @Test
    void canonicalResolvesTheLinksOfTheExistingPartAndKeepsTheRest() throws IOException {
        Path real = Files.createDirectories(tmp.resolve("real"));
        Files.createSymbolicLink(tmp.resolve("link"), real);
        assertThat(NoFollowPaths.canonical(tmp.resolve("link/a/b")))
                .isEqualTo(real.toRealPath().resolve("a/b"));
        assertThat(NoFollowPaths.canonical(tmp.resolve("x/../real"))).isEqualTo(real.toRealPath());
    }

    @Test
    void openDirectoryCreatesMissingSegmentsAndRefusesALinkOnTheWay() throws IOException {
        Path root = tmp.toRealPath();
        try (SecureDirectoryStream<Path> held = NoFollowPaths.openDirectory(root.resolve("a/b/c"))) {
            assertThat(held).isNotNull();
        }
        assertThat(root.resolve("a/b/c")).isDirectory();

        Path outside = Files.createDirectories(root.resolve("outside"));
        Files.createSymbolicLink(root.resolve("a/link"), outside);
        assertThatThrownBy(() -> NoFollowPaths.openDirectory(root.resolve("a/link/new")))
                .isInstanceOf(LinkRefusedException.class)
                .hasMessageContaining("a/link")
                .hasMessageContaining("symbolic link");
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void deleteTreeDeletesLinksInsideWithoutFollowingThem() throws IOException {
        Path root = tmp.toRealPath();
        Path keep = Files.createDirectories(root.resolve("keep"));
        Files.writeString(keep.resolve("precious"), "x");
        Path tree = Files.createDirectories(root.resolve("tree/sub"));
        Files.writeString(tree.resolve("file"), "y");
        Files.createSymbolicLink(tree.resolve("to-keep"), keep);

        NoFollowPaths.deleteTree(root.resolve("tree"));

        assertThat(root.resolve("tree")).doesNotExist();
        assertThat(keep.resolve("precious")).hasContent("x");
    }

    @Test
    void deleteTreeRefusesAPathThroughOrAtALink() throws IOException {
        Path root = tmp.toRealPath();
        Path outside = Files.createDirectories(root.resolve("outside/model"));
        Files.writeString(outside.resolve("weights"), "w");
        Files.createDirectories(root.resolve("out"));
        Files.createSymbolicLink(root.resolve("out/job"), root.resolve("outside"));

        assertThatThrownBy(() -> NoFollowPaths.deleteTree(root.resolve("out/job/model")))
                .isInstanceOf(LinkRefusedException.class)
                .hasMessageContaining("out/job");
        assertThatThrownBy(() -> NoFollowPaths.deleteTree(root.resolve("out/job")))
                .isInstanceOf(LinkRefusedException.class);
        assertThat(outside.resolve("weights")).hasContent("w");
    }

    @Test
    void parseRefusesNulAndUnpairedSurrogatesNamingTheField() {
        assertThatThrownBy(() -> NoFollowPaths.parse("a\u0000b", "output_path"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("output_path")
                .hasMessageContaining("a\\u0000b");
        assertThatThrownBy(() -> NoFollowPaths.parse("x\ud800", "Data path"))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("Data path")
                .hasMessageContaining("unpaired surrogate");
        assertThat(NoFollowPaths.parse("ok/\ud83d\ude00", "f")).isEqualTo(Path.of("ok/\ud83d\ude00"));
    }
}
