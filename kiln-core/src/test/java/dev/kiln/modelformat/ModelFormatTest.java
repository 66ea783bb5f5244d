package dev.kiln.modelformat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.KilnVersion;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelFormatTest {
    @TempDir
    Path tmp;

    @Test
    void saveWritesConfigWithTheStandardKeysAndLoadFindsTheModuleById() {
        Path dir = tmp.resolve("model");
        ModelFormat.save(new SampleModel(8, 3), dir, "training-1");
        ModelDirectory read = ModelFormat.read(dir);
        assertThat(read.config())
                .containsKeys(
                        "module_id",
                        "module_class",
                        "name",
                        "version",
                        "created",
                        "saved",
                        "tracking_id",
                        "kiln_version",
                        "batch_size");
        assertThat(read.string("module_id")).isEqualTo("00110203-0405-0607-0809-0a0b0c0d0e0f");
        assertThat(read.string("module_class")).isEqualTo(SampleModule.class.getName());
        assertThat(read.string("tracking_id")).isEqualTo("training-1");
        assertThat(read.string("kiln_version")).isEqualTo(KilnVersion.get());
        SampleModel loaded = (SampleModel) ModelFormat.load(dir);
        assertThat(loaded.batchSize()).isEqualTo(8);
        assertThat(loaded.recordsSeen()).isEqualTo(3);
    }

    @Test
    void aFailedSaveLeavesNothingAtTheTargetNorBeside() throws IOException {
        Path dir = tmp.resolve("broken");
        Model failing = new Model() {
            @Override
            public ModuleDescriptor module() {
                return ModuleDescriptor.of(SampleModule.class);
            }

            @Override
            public void save(ModelWriter writer) throws IOException {
                Files.writeString(writer.directory().resolve("half.bin"), "half");
                throw new IOException("disk full");
            }
        };
        assertThatThrownBy(() -> ModelFormat.save(failing, dir, null))
                .hasMessageContaining("disk full")
                .hasMessageContaining(dir.toString());
        assertThat(dir).doesNotExist();
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left).isEmpty();
        }
    }

    @Test
    void aFailedSaveOverAnExistingModelKeepsTheOldOne() {
        Path dir = tmp.resolve("model");
        ModelFormat.save(new SampleModel(1, 0), dir, null);
        Model failing = new Model() {
            @Override
            public ModuleDescriptor module() {
                return ModuleDescriptor.of(SampleModule.class);
            }

            @Override
            public void save(ModelWriter writer) throws IOException {
                throw new IOException("boom");
            }
        };
        assertThatThrownBy(() -> ModelFormat.save(failing, dir, null)).isInstanceOf(KilnException.class);
        assertThat(((SampleModel) ModelFormat.load(dir)).batchSize()).isEqualTo(1);
        ModelFormat.save(new SampleModel(2, 0), dir, null);
        assertThat(((SampleModel) ModelFormat.load(dir)).batchSize()).isEqualTo(2);
    }

    @Test
    void aSaveRefusesALinkOnTheWayAndWritesNothingThroughIt() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.createSymbolicLink(out.resolve("link"), outside);

        assertThatThrownBy(() -> ModelFormat.save(new SampleModel(1, 0), out.resolve("link/model"), null))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(out.resolve("link").toString())
                .hasMessageContaining("symbolic link");
        assertThatThrownBy(() -> ModelFormat.save(new SampleModel(1, 0), out.resolve("link/new/model"), null))
                .isInstanceOf(KilnException.class);
        assertThat(outside).isEmptyDirectory();
    }

    @Test
    void aLinkSwappedInWhileTheModelIsWrittenIsRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path parent = Files.createDirectories(tmp.resolve("out/sub"));
        Model swapping = new Model() {
            @Override
            public ModuleDescriptor module() {
                return ModuleDescriptor.of(SampleModule.class);
            }

            @Override
            public void save(ModelWriter writer) throws IOException {
                Files.writeString(writer.directory().resolve("weights"), "w");
                Files.move(parent, tmp.resolve("out/moved"));
                Files.createSymbolicLink(parent, outside);
            }
        };

        assertThatThrownBy(() -> ModelFormat.save(swapping, parent.resolve("model"), null))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining(parent.toString());
        assertThat(outside).isEmptyDirectory();
        assertThat(tmp.resolve("out/moved")).isEmptyDirectory();
    }

    @Test
    void modelsRoundTripThroughBytes() {
        byte[] bytes = ModelFormat.toBytes(new SampleModel(12, 5));
        SampleModel back = (SampleModel) ModelFormat.fromBytes(bytes, ModuleRegistry.global());
        assertThat(back.batchSize()).isEqualTo(12);
        assertThat(back.recordsSeen()).isEqualTo(5);
        Path dir = tmp.resolve("m");
        ModelFormat.save(back, dir, null);
        assertThat(((SampleModel) ModelFormat.fromBytes(ModelFormat.toBytes(dir), ModuleRegistry.global())).batchSize())
                .isEqualTo(12);
    }

    @Test
    void garbageBytesAreRejected() {
        assertThatThrownBy(() -> ModelFormat.fromBytes(new byte[] {1, 2, 3}, ModuleRegistry.global()))
                .isInstanceOf(KilnException.class);
    }

    @Test
    void loadErrorsNameThePathAndTheProblem() throws IOException {
        Path missing = tmp.resolve("missing");
        assertThatThrownBy(() -> ModelFormat.load(missing))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining(missing.toString());

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        assertThatThrownBy(() -> ModelFormat.load(empty)).hasMessageContaining("config.yml is missing");

        Path malformed = Files.createDirectories(tmp.resolve("malformed"));
        Files.writeString(malformed.resolve("config.yml"), "module_id: [oops");
        assertThatThrownBy(() -> ModelFormat.load(malformed))
                .hasMessageContaining("Malformed")
                .hasMessageContaining(malformed.toString());

        Path unknown = Files.createDirectories(tmp.resolve("unknown"));
        Files.writeString(unknown.resolve("config.yml"), "module_id: 1234-not-here\nname: Gone\n");
        assertThatThrownBy(() -> ModelFormat.load(unknown))
                .hasMessageContaining("1234-not-here")
                .hasMessageContaining("Gone");

        Path corrupt = tmp.resolve("corrupt");
        ModelFormat.save(new SampleModel(1, 1), corrupt, null);
        Files.delete(corrupt.resolve("weights.json"));
        assertThatThrownBy(() -> ModelFormat.load(corrupt))
                .hasMessageContaining(corrupt.toString())
                .hasMessageContaining("weights.json");
    }

    @Test
    void zipEntriesThatEscapeAreRefused() throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            zip.putNextEntry(new java.util.zip.ZipEntry("../evil.txt"));
            zip.write("x".getBytes());
            zip.closeEntry();
        }
        Path dir = Files.createDirectories(tmp.resolve("unzip"));
        assertThatThrownBy(() -> ModelFormat.unzip(new java.io.ByteArrayInputStream(out.toByteArray()), dir))
                .hasMessageContaining("escapes");
        assertThat(tmp.resolve("evil.txt")).doesNotExist();
        assertThat(List.of(dir.toFile().list())).isEmpty();
    }

    private static byte[] zipOf(String... names) throws IOException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(out)) {
            for (String name : names) {
                zip.putNextEntry(new java.util.zip.ZipEntry(name));
                zip.write("x".getBytes(java.nio.charset.StandardCharsets.UTF_8));
                zip.closeEntry();
            }
        }
        return out.toByteArray();
    }

    @Test
    void zipEntriesThroughALinkInTheTargetAreRefused() throws IOException {
        Path outside = Files.createDirectories(tmp.resolve("outside"));
        Path dir = Files.createDirectories(tmp.resolve("unzip"));
        Files.createSymbolicLink(dir.resolve("link"), outside);
        assertThatThrownBy(() -> ModelFormat.unzip(new java.io.ByteArrayInputStream(zipOf("link/evil.txt")), dir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("link/evil.txt")
                .hasMessageContaining("symbolic link");
        assertThat(outside.resolve("evil.txt")).doesNotExist();
    }

    @Test
    void zipEntriesThatAreNotPathsOrTheDirectoryItselfAreInvalidArguments() throws IOException {
        for (String name : List.of("a\u0000b.txt", ".")) {
            assertThatThrownBy(() -> ModelFormat.fromBytes(zipOf(name), ModuleRegistry.global()))
                    .isInstanceOfSatisfying(
                            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                    .hasMessageContaining("archive entry");
        }
    }

    @Test
    void aTruncatedArchiveSaysItEndsEarly() throws IOException {
        byte[] whole = ModelFormat.toBytes(new SampleModel(1, 1));
        byte[] cut = java.util.Arrays.copyOf(whole, 60);
        assertThatThrownBy(() -> ModelFormat.fromBytes(cut, ModuleRegistry.global()))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("ends early");
    }

    @Test
    void leftoversOfAKilledSaveAreCleanedUp() throws IOException {
        Path target = tmp.resolve("model");
        Path temp = Files.createDirectories(tmp.resolve(".model.saving-1234"));
        Files.writeString(temp.resolve("half.bin"), "half");
        Path unrelated = Files.createDirectories(tmp.resolve(".other.saving-1234"));
        ModelFormat.cleanUpInterruptedSave(target);
        assertThat(temp).doesNotExist();
        assertThat(unrelated).exists();
    }

    @Test
    void aModelMovedAsideByAKilledSaveIsPutBack() throws IOException {
        Path target = tmp.resolve("model");
        ModelFormat.save(new SampleModel(4, 0), tmp.resolve(".model.replaced-1234"), null);
        ModelFormat.cleanUpInterruptedSave(target);
        assertThat(((SampleModel) ModelFormat.load(target)).batchSize()).isEqualTo(4);
        assertThat(tmp.resolve(".model.replaced-1234")).doesNotExist();
    }
}
