package dev.kiln.modelformat;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Kiln's model format: a directory with {@code config.yml} (module id, class, name, version, times, tracking id,
 * Kiln version and the module's own keys) and the module's artifacts beside it. Saves are atomic.
 *
 * <p>The entry point of the package: atomic saves are {@link AtomicModelSave}'s job, reading a saved directory
 * {@link ModelDirectoryReader}'s, zip transport {@link ModelArchive}'s and deleting trees {@link FileTrees}'.
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
        return AtomicModelSave.save(model, target, trackingId);
    }

    /**
     * Cleans up after a save to {@code target} that was killed part-way: temporary siblings are deleted, and a model
     * that was moved aside to be replaced is put back if nothing took its place.
     *
     * @throws UncheckedIOException if a leftover cannot be removed
     */
    public static void cleanUpInterruptedSave(Path target) {
        AtomicModelSave.cleanUpInterruptedSave(target);
    }

    /**
     * Loads the model saved at {@code path}, finding its module by the id in {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND for a missing path, INVALID_ARGUMENT for a missing or malformed config or an
     *     unknown module id, INTERNAL for corrupt artifacts; each names the path
     */
    public static Model load(Path path, ModuleRegistry registry) {
        return ModelDirectoryReader.load(path, registry);
    }

    /** Loads with the modules on the class path. */
    public static Model load(Path path) {
        return ModelDirectoryReader.load(path);
    }

    /**
     * Reads a model directory's {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND or INVALID_ARGUMENT naming the path
     */
    public static ModelDirectory read(Path path) {
        return ModelDirectoryReader.read(path);
    }

    /** The model directory at {@code path} as zip bytes. */
    public static byte[] toBytes(Path path) {
        return ModelArchive.toBytes(path);
    }

    /**
     * Writes the model directory at {@code path} to {@code out} as a zip archive, file by file, so a large model is
     * never held in memory; {@link #unzip} reads it back.
     *
     * @throws KilnException NOT_FOUND or INVALID_ARGUMENT if {@code path} holds no model
     * @throws IOException if reading a file or writing to {@code out} fails
     */
    public static void writeZip(Path path, OutputStream out) throws IOException {
        ModelArchive.writeZip(path, out);
    }

    /** A model as zip bytes of its saved directory, for passing it to another process. */
    public static byte[] toBytes(Model model) {
        return ModelArchive.toBytes(model);
    }

    /** Loads a model from zip bytes made by {@link #toBytes}. */
    public static Model fromBytes(byte[] bytes, ModuleRegistry registry) {
        return ModelArchive.fromBytes(bytes, registry);
    }

    /** Unpacks model bytes into {@code dir}, refusing entries that would land outside it. */
    public static void unzip(InputStream in, Path dir) throws IOException {
        ModelArchive.unzip(in, dir);
    }

    /** Deletes a file or directory tree; a missing path is fine. */
    public static void deleteRecursively(Path path) {
        FileTrees.deleteRecursively(path);
    }
}
