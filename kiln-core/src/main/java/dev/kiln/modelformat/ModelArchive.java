package dev.kiln.modelformat;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
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

    /**
     * Unpacks model bytes into {@code dir}, refusing entries that would land outside it, whether by their name or
     * through a symbolic link already in {@code dir}.
     */
    static void unzip(InputStream in, Path dir) throws IOException {
        Path root = dir.toAbsolutePath().normalize();
        String name = null;
        try (ZipInputStream zip = new ZipInputStream(in)) {
            ZipEntry entry;
            while ((entry = nextEntry(zip)) != null) {
                name = entry.getName();
                Path out = entryPath(root, name);
                if (entry.isDirectory()) {
                    createDirectories(root, out, name);
                } else {
                    createDirectories(root, out.getParent(), name);
                    Files.copy(zip, out, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (EOFException e) {
            throw new IOException(
                    "the archive ends early"
                            + (name == null ? "" : ", in entry '" + NoFollowPaths.printable(name) + "'"),
                    e);
        }
    }

    private static ZipEntry nextEntry(ZipInputStream zip) throws IOException {
        try {
            return zip.getNextEntry();
        } catch (IllegalArgumentException e) {
            // an entry name that is not valid in the archive's encoding
            throw new IOException("archive entry has an unreadable name: " + e.getMessage(), e);
        }
    }

    /** Where an entry lands: strictly inside {@code root}. */
    private static Path entryPath(Path root, String name) throws IOException {
        Path out;
        try {
            out = root.resolve(name).normalize();
        } catch (InvalidPathException e) {
            throw new IOException(
                    "archive entry '" + NoFollowPaths.printable(name) + "' is not a valid path: " + e.getReason());
        }
        if (!out.startsWith(root) || out.equals(root)) {
            throw new IOException("archive entry '" + NoFollowPaths.printable(name) + "' escapes the model directory");
        }
        return out;
    }

    /** Creates {@code path} under {@code root} segment by segment, refusing to pass through a symbolic link. */
    private static void createDirectories(Path root, Path path, String entry) throws IOException {
        Path current = root;
        for (Path segment : root.relativize(path)) {
            current = current.resolve(segment);
            if (Files.isSymbolicLink(current)) {
                throw new IOException("archive entry '" + NoFollowPaths.printable(entry)
                        + "' leads through the symbolic link " + current);
            }
            if (!Files.isDirectory(current, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(current);
            }
        }
    }
}
