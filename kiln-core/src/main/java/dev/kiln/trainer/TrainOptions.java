package dev.kiln.trainer;

import dev.kiln.error.KilnException;
import java.nio.file.Path;

/**
 * Where and under what id a training saves, as caikit's {@code train()} keywords.
 *
 * @param savePath the directory to save into, or null
 * @param saveWithId whether to append the training id to the save path
 * @param externalTrainingId the id to use instead of a generated one, or null
 * @param modelName a name appended to the save path, or null
 * @param priority the place in its trainer's queue: higher starts first, equal ones in order of submission (a Kiln
 *     option, default 0)
 */
public record TrainOptions(
        Path savePath, boolean saveWithId, String externalTrainingId, String modelName, int priority) {

    /** Options with the default priority, 0. */
    public TrainOptions(Path savePath, boolean saveWithId, String externalTrainingId, String modelName) {
        this(savePath, saveWithId, externalTrainingId, modelName, 0);
    }

    /** No save path, generated id, no model name. */
    public static TrainOptions none() {
        return new TrainOptions(null, false, null, null);
    }

    /** Saves to {@code path}. */
    public static TrainOptions saveTo(Path path) {
        return new TrainOptions(path, false, null, null);
    }

    /**
     * Checks that {@code model_name} and {@code external_training_id}, which become parts of paths, are single
     * path segments; every trainer calls this before it starts a training.
     *
     * @return these options
     * @throws KilnException INVALID_ARGUMENT naming the field and the value
     */
    public TrainOptions requireSafeNames() {
        requireSegment("model_name", modelName);
        requireSegment("external_training_id", externalTrainingId);
        return this;
    }

    private static void requireSegment(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.isBlank()
                || value.codePoints().anyMatch(c -> Character.getType(c) == Character.SURROGATE)
                || value.contains("/")
                || value.contains("\\")
                || value.equals(".")
                || value.equals("..")
                || value.chars().anyMatch(Character::isISOControl)) {
            throw KilnException.invalidArgument("Invalid " + field + " '" + value
                    + "': it must be a single non-empty path segment of valid text without control characters");
        }
    }

    public TrainOptions withSavePath(Path path) {
        return new TrainOptions(path, saveWithId, externalTrainingId, modelName, priority);
    }

    public TrainOptions withSaveWithId(boolean value) {
        return new TrainOptions(savePath, value, externalTrainingId, modelName, priority);
    }

    public TrainOptions withExternalTrainingId(String id) {
        return new TrainOptions(savePath, saveWithId, id, modelName, priority);
    }

    public TrainOptions withModelName(String name) {
        return new TrainOptions(savePath, saveWithId, externalTrainingId, name, priority);
    }

    /** These options with {@code value} as the priority: higher starts first. */
    public TrainOptions withPriority(int value) {
        return new TrainOptions(savePath, saveWithId, externalTrainingId, modelName, value);
    }
}
