package dev.kiln.modelformat;

import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** A model directory as a zip archive, for passing a model to another process or over the network. */
final class ModelArchive {
    private ModelArchive() {}

    /** The model directory at {@code path} as zip bytes. */
    static byte[] toBytes(Path path) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            writeZip(path, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot pack model at " + path, e);
        }
        return bytes.toByteArray();
    }

    /**
     * Writes the model directory at {@code path} to {@code out} as a zip archive, file by file, so a large model is
     * never held in memory; {@link #unzip} reads it back.
     *
     * @throws KilnException NOT_FOUND or INVALID_ARGUMENT if {@code path} holds no model
     * @throws IOException if reading a file or writing to {@code out} fails
     */
    static void writeZip(Path path, java.io.OutputStream out) throws IOException {
        ModelDirectoryReader.read(path);
        ZipOutputStream zip = new ZipOutputStream(out);
        try (Stream<Path> files = Files.walk(path)) {
            for (Path file : (Iterable<Path>) files.sorted()::iterator) {
                if (Files.isRegularFile(file, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    zip.putNextEntry(
                            new ZipEntry(path.relativize(file).toString().replace('\\', '/')));
                    Files.copy(file, zip);
                    zip.closeEntry();
                }
            }
        }
        zip.finish();
    }

    /** A model as zip bytes of its saved directory, for passing it to another process. */
    static byte[] toBytes(Model model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kiln-model-").toRealPath();
            Path target = dir.resolve("model");
            AtomicModelSave.save(model, target, null);
            return toBytes(target);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot pack model of " + model.module().name(), e);
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** Loads a model from zip bytes made by {@link #toBytes}. */
    static Model fromBytes(byte[] bytes, ModuleRegistry registry) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kiln-model-");
            unzip(new ByteArrayInputStream(bytes), dir);
            return ModelDirectoryReader.load(dir, registry);
        } catch (IOException e) {
            throw KilnException.invalidArgument("Model bytes are not a valid model archive: " + e.getMessage());
        } finally {
            FileTrees.deleteRecursively(dir);
        }
    }

    /** Unpacks model bytes into {@code dir}, refusing entries that would land outside it. */
    static void unzip(InputStream in, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                Path out = root.resolve(entry.getName()).normalize();
                if (!out.startsWith(root)) {
                    throw new IOException("archive entry " + entry.getName() + " escapes the model directory");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }
}
