package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.testing.FuzzBudget;
import dev.kiln.testing.Mutations;
import dev.kiln.testing.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The model format's zip reader over mutated archives and hostile entries (zip-slip names, absolute paths, huge
 * declared sizes, a link already in the target): a model or a clear error, and nothing written outside the target.
 */
@AddLifecycleHook(FuzzBudget.class)
class ModelZipFuzzTest {
    private static final byte[] MODEL = ModelFormat.toBytes(new SampleModel(7, 3));
    private static final List<String> NAMES = List.of(
            "config.yml",
            "weights.json",
            "extra/notes.txt",
            "../escape.txt",
            "../../escape.txt",
            "extra/../../escape.txt",
            "/tmp/kiln-fuzz-escape/abs.txt",
            "link/through.txt",
            "link",
            ".",
            "./",
            "dir/",
            "a\\..\\..\\escape.txt",
            "nul\u0000.txt",
            "bad\ud800.txt",
            "");

    private Path sandbox;
    private Path target;
    private Map<Path, String> before;

    @BeforeProperty
    void makeSandbox() throws IOException {
        sandbox = Files.createTempDirectory("kiln-fuzz-zip-").toRealPath();
    }

    @AfterProperty
    void removeSandbox() {
        ModelFormat.deleteRecursively(sandbox);
    }

    /** A target with a link out of it, beside a sentinel tree that must not change. */
    private void prepare() throws IOException {
        ModelFormat.deleteRecursively(sandbox.resolve("target"));
        Path outside = Files.createDirectories(sandbox.resolve("outside"));
        Files.writeString(outside.resolve("keep.txt"), "keep");
        target = Files.createDirectories(sandbox.resolve("target"));
        Files.createSymbolicLink(target.resolve("link"), outside);
        before = snapshot(outside);
        before.putAll(snapshot(sandbox.resolve("outside-too")));
    }

    private void assertNothingWrittenOutside() throws IOException {
        Map<Path, String> after = snapshot(sandbox.resolve("outside"));
        after.putAll(snapshot(sandbox.resolve("outside-too")));
        assertThat(after).isEqualTo(before);
        try (Stream<Path> top = Files.list(sandbox)) {
            assertThat(top.map(p -> p.getFileName().toString())).isSubsetOf("outside", "target", "outside-too");
        }
        assertThat(Path.of("/tmp/kiln-fuzz-escape")).doesNotExist();
    }

    private static Map<Path, String> snapshot(Path root) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        if (!Files.exists(root)) {
            return files;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(
                        p,
                        Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                                ? Files.readString(p, StandardCharsets.ISO_8859_1)
                                : Files.isSymbolicLink(p) ? "-> " + Files.readSymbolicLink(p) : "dir");
            }
        }
        return files;
    }

    @Provide
    Arbitrary<byte[]> archives() {
        Arbitrary<byte[]> crafted = Combinators.combine(
                        Arbitraries.of(NAMES).list().ofMinSize(1).ofMaxSize(4),
                        Arbitraries.of(true, false),
                        Arbitraries.of(true, false))
                .as(ModelZipFuzzTest::craft);
        return Arbitraries.oneOf(Mutations.ofBytes(MODEL, 3), crafted, crafted.flatMap(b -> Mutations.ofBytes(b, 2)));
    }

    /** A zip of the model's own entries followed by {@code names}, optionally stored with a huge declared size. */
    private static byte[] craft(List<String> names, boolean stored, boolean hugeSize) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (String name : names) {
                ZipEntry e = new ZipEntry(name);
                byte[] data = ("written by entry " + name).getBytes(StandardCharsets.UTF_8);
                if (stored) {
                    e.setMethod(ZipEntry.STORED);
                    e.setSize(data.length);
                    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
                    crc.update(data);
                    e.setCrc(crc.getValue());
                }
                zip.putNextEntry(e);
                if (!name.endsWith("/")) {
                    zip.write(data);
                }
                zip.closeEntry();
            }
        } catch (IOException | IllegalArgumentException e) {
            return new byte[0];
        }
        byte[] out = bytes.toByteArray();
        if (hugeSize && out.length > 26) {
            // the first local header's compressed and uncompressed sizes
            ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(18, -2).putInt(22, -2);
        }
        return out;
    }

    @Property(tries = 200)
    void unzippingWritesOnlyInsideTheTargetOrFailsSayingWhy(@ForAll("archives") byte[] archive) throws IOException {
        prepare();
        try {
            ModelFormat.unzip(new ByteArrayInputStream(archive), target);
        } catch (IOException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
        assertNothingWrittenOutside();
    }

    @Property(tries = 150)
    void loadingGivesAModelOrAnInvalidArgument(@ForAll("archives") byte[] archive) {
        try {
            Model model = ModelFormat.fromBytes(archive, ModuleRegistry.global());
            assertThat(model).isNotNull();
        } catch (KilnException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }

    @Example
    void theSeedLoads() {
        assertThat(((SampleModel) ModelFormat.fromBytes(MODEL, ModuleRegistry.global())).batchSize())
                .isEqualTo(7);
    }
}
