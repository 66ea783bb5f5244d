package dev.kiln.cli.client;

import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModelDirectory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Lists the models in a local models directory, as a server would serve them. */
public final class ModelViews {
    private ModelViews() {}

    /**
     * The models in {@code dir}: each subdirectory holding a saved model, under its directory name, in name order.
     * Directories that hold no model are skipped.
     *
     * @throws KilnException NOT_FOUND naming the directory if it does not exist
     */
    public static List<ModelView> local(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw KilnException.notFound("Models directory not found: " + dir);
        }
        List<ModelView> out = new ArrayList<>();
        try (Stream<Path> children = Files.list(dir)) {
            for (Path child : children.sorted().toList()) {
                String name = child.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(child.resolve(ModelDirectory.CONFIG_FILE))) {
                    continue;
                }
                ModelDirectory model;
                try {
                    model = ModelFormat.read(child);
                } catch (KilnException e) {
                    continue;
                }
                Object moduleName = model.get("name");
                out.add(new ModelView(
                        name,
                        model.string("module_id"),
                        moduleName == null ? model.string("module_id") : moduleName.toString(),
                        size(child),
                        child.toString(),
                        null));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        return out;
    }

    /** caikit's kebab-case route name of a task class name: TextClassificationTask → text-classification. */
    public static String taskRouteName(String task) {
        String bare = task.endsWith("Task") ? task.substring(0, task.length() - 4) : task;
        return bare.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(java.util.Locale.ROOT);
    }

    private static long size(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(f -> {
                        try {
                            return Files.size(f);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException e) {
            return -1;
        }
    }
}
