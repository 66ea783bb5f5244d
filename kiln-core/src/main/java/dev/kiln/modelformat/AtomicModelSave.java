package dev.kiln.modelformat;

import dev.kiln.KilnVersion;
import dev.kiln.config.KilnYaml;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.LinkRefusedException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleDescriptor;
import java.io.IOException;
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
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Writes a model directory atomically and without following symbolic links, and cleans up after a save that was
 * killed part-way.
 */
final class AtomicModelSave {
    private AtomicModelSave() {}

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
    static Path save(Model model, Path target, String trackingId) {
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
    static void cleanUpInterruptedSave(Path target) {
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
                    FileTrees.deleteRecursively(p);
                } else if (name.startsWith(replaced)) {
                    if (Files.exists(absolute)) {
                        FileTrees.deleteRecursively(p);
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
}
