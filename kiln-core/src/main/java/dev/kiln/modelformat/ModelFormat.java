package dev.kiln.modelformat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.KilnVersion;
import dev.kiln.config.KilnYaml;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.LinkRefusedException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Kiln's model format: a directory with {@code config.yml} (module id, class, name, version, times, tracking id,
 * Kiln version and the module's own keys) and the module's artifacts beside it. Saves are atomic.
 */
public final class ModelFormat {
    private ModelFormat() {}

    /**
     * Saves a model to {@code target} atomically: it is written to a temporary sibling and renamed into place, so
     * a failed save leaves nothing at the target. An existing model at the target is replaced. No symbolic link is
     * followed on the way to the target: missing directories are created one at a time, the parent is held open
     * while the model is written, and the rename happens relative to it, so a link swapped in meanwhile is refused
     * rather than written through. Callers with a path that may contain links resolve it first with
     * {@link NoFollowPaths#canonical}.
     *
     * @param trackingId the training id, or null
     * @throws KilnException INVALID_ARGUMENT if the way to the target holds a symbolic link, INTERNAL if writing
     *     fails; nothing is left at the target
     */
    public static Path save(Model model, Path target, String trackingId) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        Path name = absolute.getFileName();
        Path tempName = Path.of("." + name + ".saving-" + UUID.randomUUID());
        SecureDirectoryStream<Path> held = null;
        try {
            held = NoFollowPaths.openDirectory(parent);
            Path temp = parent.resolve(tempName);
            Files.createDirectory(temp);
            Object key = requireSame(held, tempName, temp);
            writeInto(model, temp, trackingId);
            if (!key.equals(requireSame(held, tempName, temp))) {
                throw new LinkRefusedException(temp + " was replaced while the model was written");
            }
            moveIntoPlace(held, tempName, name);
            return absolute;
        } catch (IOException | RuntimeException e) {
            if (held != null) {
                deleteQuietly(held, tempName);
            }
            if (e instanceof KilnException ke) {
                throw ke;
            }
            throw new KilnException(ErrorCode.INTERNAL, "Saving model to " + absolute + " failed: " + e, e);
        } finally {
            if (held != null) {
                try {
                    held.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
        }
    }

    private static void writeInto(Model model, Path dir, String trackingId) throws IOException {
        ModuleDescriptor module = model.module();
        DirectoryModelWriter writer = new DirectoryModelWriter(dir);
        model.save(writer);
        String now = DateTimeFormatter.ISO_INSTANT.format(Instant.now());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("module_id", module.id());
        config.put("module_class", module.moduleClass());
        config.put("name", module.name());
        config.put("version", module.version());
        config.put("created", now);
        config.put("saved", now);
        config.put("tracking_id", trackingId);
        config.put("kiln_version", KilnVersion.get());
        config.putAll(writer.config());
        KilnYaml.mapper().writeValue(dir.resolve(ModelDirectory.CONFIG_FILE).toFile(), config);
    }

    /** The file key of {@code name} in the held directory, checked to be what {@code path} names too. */
    private static Object requireSame(SecureDirectoryStream<Path> held, Path name, Path path) throws IOException {
        BasicFileAttributes inHeld = NoFollowPaths.attributes(held, name);
        BasicFileAttributes byPath;
        try {
            byPath = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            byPath = null;
        }
        if (inHeld == null
                || byPath == null
                || !inHeld.isDirectory()
                || inHeld.fileKey() == null
                || !inHeld.fileKey().equals(byPath.fileKey())) {
            throw new LinkRefusedException(
                    path + " no longer names the directory Kiln created: a directory on the way was moved or linked");
        }
        return inHeld.fileKey();
    }

    private static void moveIntoPlace(SecureDirectoryStream<Path> held, Path temp, Path target) throws IOException {
        Path old = null;
        if (NoFollowPaths.attributes(held, target) != null) {
            old = Path.of("." + target + ".replaced-" + UUID.randomUUID());
            held.move(target, held, old);
        }
        try {
            held.move(temp, held, target);
        } catch (IOException e) {
            if (old != null) {
                held.move(old, held, target);
            }
            throw e;
        }
        if (old != null) {
            NoFollowPaths.deleteEntry(held, old);
        }
    }

    private static void deleteQuietly(SecureDirectoryStream<Path> held, Path name) {
        try {
            NoFollowPaths.deleteEntry(held, name);
        } catch (IOException e) {
            // the save already failed; the leftover is removed by cleanUpInterruptedSave
        }
    }

    /**
     * Cleans up after a save to {@code target} that was killed part-way: temporary siblings are deleted, and a model
     * that was moved aside to be replaced is put back if nothing took its place.
     *
     * @throws UncheckedIOException if a leftover cannot be removed
     */
    public static void cleanUpInterruptedSave(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String saving = "." + absolute.getFileName() + ".saving-";
        String replaced = "." + absolute.getFileName() + ".replaced-";
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                String name = p.getFileName().toString();
                if (name.startsWith(saving)) {
                    deleteRecursively(p);
                } else if (name.startsWith(replaced)) {
                    if (Files.exists(absolute)) {
                        deleteRecursively(p);
                    } else {
                        Files.move(p, absolute, StandardCopyOption.ATOMIC_MOVE);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            // the directory went away meanwhile, leftovers and all
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clean up an interrupted save to " + absolute, e);
        }
    }

    /**
     * Loads the model saved at {@code path}, finding its module by the id in {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND for a missing path, INVALID_ARGUMENT for a missing or malformed config or an
     *     unknown module id, INTERNAL for corrupt artifacts; each names the path
     */
    public static Model load(Path path, ModuleRegistry registry) {
        ModelDirectory dir = read(path);
        ModuleType<?, ?> module = registry.find(dir.string("module_id"))
                .orElseThrow(() -> KilnException.invalidArgument("Model at " + path + " was saved by module "
                        + dir.get("name") + " (id " + dir.get("module_id") + "), which is not on the class path"));
        try {
            return module.load(dir);
        } catch (KilnException e) {
            throw e;
        } catch (Exception e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Model at " + path + " could not be loaded by module "
                            + module.descriptor().name() + ": " + e,
                    e);
        }
    }

    /** Loads with the modules on the class path. */
    public static Model load(Path path) {
        return load(path, ModuleRegistry.global());
    }

    /**
     * Reads a model directory's {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND or INVALID_ARGUMENT naming the path
     */
    public static ModelDirectory read(Path path) {
        if (!Files.exists(path)) {
            throw KilnException.notFound("No model at " + path + ": the path does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw KilnException.invalidArgument("No model at " + path + ": it is not a directory");
        }
        Path configFile = path.resolve(ModelDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw KilnException.invalidArgument(
                    "No model at " + path + ": " + ModelDirectory.CONFIG_FILE + " is missing");
        }
        Map<String, Object> config;
        try {
            config = KilnYaml.mapper().readValue(configFile.toFile(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw KilnException.invalidArgument("Malformed " + configFile + ": " + e.getMessage());
        }
        if (config == null) {
            throw KilnException.invalidArgument("Malformed " + configFile + ": it is empty");
        }
        ModelDirectory dir = new ModelDirectory(path, config);
        dir.string("module_id");
        return dir;
    }

    /** The model directory at {@code path} as zip bytes. */
    public static byte[] toBytes(Path path) {
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
    public static void writeZip(Path path, java.io.OutputStream out) throws IOException {
        read(path);
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
    public static byte[] toBytes(Model model) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kiln-model-").toRealPath();
            Path target = dir.resolve("model");
            save(model, target, null);
            return toBytes(target);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Cannot pack model of " + model.module().name(), e);
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Loads a model from zip bytes made by {@link #toBytes}. */
    public static Model fromBytes(byte[] bytes, ModuleRegistry registry) {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("kiln-model-");
            unzip(new ByteArrayInputStream(bytes), dir);
            return load(dir, registry);
        } catch (IOException e) {
            throw KilnException.invalidArgument("Model bytes are not a valid model archive: " + e.getMessage());
        } finally {
            deleteRecursively(dir);
        }
    }

    /** Unpacks model bytes into {@code dir}, refusing entries that would land outside it. */
    public static void unzip(InputStream in, Path dir) throws IOException {
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

    /** Deletes a file or directory tree; a missing path is fine. */
    public static void deleteRecursively(Path path) {
        if (path == null || !Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            List<Path> all =
                    walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
            for (Path p : all) {
                try {
                    Files.deleteIfExists(p);
                } catch (NoSuchFileException ignored) {
                    // already gone
                }
            }
        } catch (NoSuchFileException e) {
            // deleted by someone else meanwhile
        } catch (UncheckedIOException e) {
            if (!(e.getCause() instanceof NoSuchFileException)) {
                throw new UncheckedIOException("Cannot delete " + path, e.getCause());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path, e);
        }
    }
}
