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
 * @param maxRetries how many times the training may be retried after a failure of the infrastructure it runs on
 *     (Kiln's {@code max_retries}), or null for the trainer's setting
 */
public record TrainOptions(
        Path savePath,
        boolean saveWithId,
        String externalTrainingId,
        String modelName,
        int priority,
        Integer maxRetries) {
    private static final TrainOptions NONE = new TrainOptions(null, false, null, null);

    public TrainOptions {
        if (maxRetries != null && maxRetries < 0) {
            throw KilnException.invalidArgument("Invalid max_retries " + maxRetries + ": it must be at least 0");
        }
    }

    /** Options that leave {@code max_retries} to the trainer. */
    public TrainOptions(Path savePath, boolean saveWithId, String externalTrainingId, String modelName, int priority) {
        this(savePath, saveWithId, externalTrainingId, modelName, priority, null);
    }

    /** Options at the default priority, 0, that leave {@code max_retries} to the trainer. */
    public TrainOptions(Path savePath, boolean saveWithId, String externalTrainingId, String modelName) {
        this(savePath, saveWithId, externalTrainingId, modelName, 0, null);
    }

    /** No save path, generated id, no model name; one shared value, as options are immutable. */
    public static TrainOptions none() {
        return NONE;
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
        if (modelName != null) {
            requireSegment("model_name", modelName);
        }
        if (externalTrainingId != null) {
            requireSegment("external_training_id", externalTrainingId);
        }
        return this;
    }

    private static void requireSegment(String field, String value) {
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
        return new TrainOptions(path, saveWithId, externalTrainingId, modelName, priority, maxRetries);
    }

    public TrainOptions withSaveWithId(boolean value) {
        return new TrainOptions(savePath, value, externalTrainingId, modelName, priority, maxRetries);
    }

    public TrainOptions withExternalTrainingId(String id) {
        return new TrainOptions(savePath, saveWithId, id, modelName, priority, maxRetries);
    }

    public TrainOptions withModelName(String name) {
        return new TrainOptions(savePath, saveWithId, externalTrainingId, name, priority, maxRetries);
    }

    /** These options with {@code value} as the priority: higher starts first. */
    public TrainOptions withPriority(int value) {
        return new TrainOptions(savePath, saveWithId, externalTrainingId, modelName, value, maxRetries);
    }

    /** These options with {@code max_retries}; null leaves it to the trainer. */
    public TrainOptions withMaxRetries(Integer value) {
        return new TrainOptions(savePath, saveWithId, externalTrainingId, modelName, priority, value);
    }
}
