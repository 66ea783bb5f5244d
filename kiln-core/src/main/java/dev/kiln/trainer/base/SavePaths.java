package dev.kiln.trainer.base;

import java.nio.file.Path;

/** Builds a training's save path exactly as caikit does. */
public final class SavePaths {
    private SavePaths() {}

    /**
     * {@code savePath} [+ the id, if {@code saveWithId} and the id is not already in the path] [+ {@code modelName},
     * if given and not already in the path]; null when there is no save path.
     */
    public static Path resolve(Path savePath, boolean saveWithId, String trainingId, String modelName) {
        if (savePath == null) {
            return null;
        }
        Path path = savePath;
        if (saveWithId && !contains(path, trainingId)) {
            path = path.resolve(trainingId);
        }
        if (modelName != null && !modelName.isEmpty() && !contains(path, modelName)) {
            path = path.resolve(modelName);
        }
        return path;
    }

    private static boolean contains(Path path, String part) {
        for (Path element : path) {
            if (element.toString().equals(part)) {
                return true;
            }
        }
        return false;
    }
}
