package dev.kiln.serving;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModelDirectory;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The local models directory ({@code runtime.local_models_dir}): each subdirectory holding a model is served under
 * its name. Deploys write a new subdirectory from files in memory, undeploys delete one; nothing is written or
 * deleted outside the directory, and a symbolic link is never followed out of it.
 */
public final class LocalModelsDirectory {
    private final Path root;

    /** The directory at {@code root} (it need not exist yet). */
    public LocalModelsDirectory(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The directory. */
    public Path root() {
        return root;
    }

    /**
     * A model found in the directory.
     *
     * @param id its directory name
     * @param directory its saved files and config
     * @param modified when its {@code config.yml} last changed, to notice a model saved again
     */
    public record Found(String id, ModelDirectory directory, FileTime modified) {}

    /** The models in the directory now, by id; subdirectories that hold no readable model are skipped. */
    public Map<String, Found> scan() {
        Map<String, Found> found = new LinkedHashMap<>();
        if (!Files.isDirectory(root)) {
            return found;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(root)) {
            for (Path dir : dirs) {
                String name = dir.getFileName().toString();
                if (!name.startsWith(".")) {
                    find(name).ifPresent(f -> found.put(name, f));
                }
            }
        } catch (IOException e) {
            return found;
        }
        return found;
    }

    /** The model in the subdirectory {@code id}, if it holds one. */
    public Optional<Found> find(String id) {
        if (!isPlainName(id)) {
            return Optional.empty();
        }
        Path dir = root.resolve(id);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        try {
            ModelDirectory model = ModelFormat.read(dir);
            return Optional.of(
                    new Found(id, model, Files.getLastModifiedTime(dir.resolve(ModelDirectory.CONFIG_FILE))));
        } catch (KilnException | IOException e) {
            return Optional.empty();
        }
    }

    /**
     * Writes a model's files into a new subdirectory {@code id}, all or nothing: they are written beside it and
     * moved into place only once they hold a readable model.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad id or file name or a model without a readable
     *     {@code config.yml}, CONFLICT if {@code id} exists, INTERNAL if writing fails
     */
    public Found deploy(String id, Map<String, byte[]> files) {
        requirePlainName(id);
        Path target = root.resolve(id);
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
            throw KilnException.conflict("Model '" + id + "' already exists");
        }
        if (files.isEmpty()) {
            throw KilnException.invalidArgument(
                    "model_files is empty: a model needs at least its " + ModelDirectory.CONFIG_FILE);
        }
        Path temp = root.resolve("." + id + ".deploying-" + UUID.randomUUID());
        try {
            Files.createDirectories(temp);
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                Files.write(fileIn(temp, f.getKey()), f.getValue());
            }
            ModelFormat.read(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (KilnException e) {
            ModelFormat.deleteRecursively(temp);
            if (e.code() == ErrorCode.INVALID_ARGUMENT && e.getMessage().startsWith("No model at")) {
                throw KilnException.invalidArgument("The files of model '" + id + "' hold no model: "
                        + e.getMessage().replace(temp.toString(), id));
            }
            throw e;
        } catch (IOException | RuntimeException e) {
            ModelFormat.deleteRecursively(temp);
            if (Files.exists(target, LinkOption.NOFOLLOW_LINKS)) {
                throw KilnException.conflict("Model '" + id + "' already exists");
            }
            throw new KilnException(ErrorCode.INTERNAL, "Unable to save model '" + id + "': " + e, e);
        }
        return find(id).orElseThrow(() -> new KilnException(
                ErrorCode.INTERNAL, "Model '" + id + "' was written to " + target + " but cannot be read back"));
    }

    /**
     * Deletes the subdirectory {@code id}.
     *
     * @throws KilnException NOT_FOUND if there is no such model directory
     */
    public void undeploy(String id) {
        if (!isPlainName(id) || !Files.isDirectory(root.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            throw KilnException.notFound("Cannot undeploy unknown model " + id);
        }
        if (!remove(id)) {
            throw KilnException.notFound("Cannot undeploy unknown model " + id);
        }
    }

    /**
     * Deletes the subdirectory {@code id} if it is there: it is first moved aside, so the id is free at once.
     *
     * @return whether there was one
     * @throws KilnException INTERNAL if it cannot be moved
     */
    boolean remove(String id) {
        Path gone = root.resolve("." + id + ".undeploying-" + UUID.randomUUID());
        try {
            Files.move(root.resolve(id), gone, StandardCopyOption.ATOMIC_MOVE);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException e) {
            throw new KilnException(ErrorCode.INTERNAL, "Unable to remove model '" + id + "': " + e, e);
        }
        ModelFormat.deleteRecursively(gone);
        return true;
    }

    private static Path fileIn(Path dir, String name) throws IOException {
        String trimmed = name == null ? "" : name.strip();
        if (trimmed.isEmpty()) {
            throw KilnException.invalidArgument("Got whitespace-only model file name: [" + name + "]");
        }
        Path p = NoFollowPaths.parse(trimmed, "Model file name");
        Path out = dir.resolve(p).normalize();
        if (p.isAbsolute() || !out.startsWith(dir) || out.equals(dir)) {
            throw KilnException.invalidArgument(
                    "Model file name '" + name + "' must be a relative path inside the model directory");
        }
        Files.createDirectories(out.getParent());
        return out;
    }

    /** Whether {@code id} is one directory name: not empty, no separators, not hidden. */
    public static boolean isPlainName(String id) {
        return id != null
                && !id.isBlank()
                && !id.startsWith(".")
                && id.indexOf('/') < 0
                && id.indexOf('\\') < 0
                && id.indexOf('\0') < 0
                && NoFollowPaths.isWellFormed(id)
                && id.equals(id.strip());
    }

    private static void requirePlainName(String id) {
        if (!isPlainName(id)) {
            throw KilnException.invalidArgument("model_id '" + id
                    + "' must be a single directory name: not empty, without '/' or '\\\\', not starting with '.'");
        }
    }
}
