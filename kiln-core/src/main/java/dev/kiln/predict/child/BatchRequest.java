package dev.kiln.predict.child;

import dev.kiln.data.DataSource;
import java.nio.file.Path;
import java.util.Objects;

/**
 * One batch prediction to run in a child JVM.
 *
 * @param id the prediction id
 * @param modelPath the saved model's directory
 * @param moduleId the id of the module that saved it
 * @param task the task's route name, such as {@code text-classification}
 * @param source the records, their paths already checked and resolved
 * @param results where the JSON Lines results go; nothing is left there unless the batch completes
 * @param dataBase the directory the worker must find every data file inside once its links are resolved, or null
 */
public record BatchRequest(
        String id, Path modelPath, String moduleId, String task, DataSource source, Path results, Path dataBase) {
    public BatchRequest {
        Objects.requireNonNull(id, "id");
        modelPath = modelPath.toAbsolutePath().normalize();
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(task, "task");
        Objects.requireNonNull(source, "source");
        results = results.toAbsolutePath().normalize();
    }

    /** A request whose data files are read wherever they lead. */
    public BatchRequest(String id, Path modelPath, String moduleId, String task, DataSource source, Path results) {
        this(id, modelPath, moduleId, task, source, results, null);
    }
}
