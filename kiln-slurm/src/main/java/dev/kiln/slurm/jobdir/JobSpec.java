package dev.kiln.slurm.jobdir;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.json.KilnJson;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What the worker trains, as {@code spec.json}: the worker's file protocol, version 1.
 *
 * @param trainingId the training id
 * @param moduleId the module's id
 * @param parameters the parameters as {@link dev.kiln.module.Parameters#toJson} gives them, models as bytes
 * @param savePath where the worker saves the model, or null
 */
public record JobSpec(String trainingId, String moduleId, ObjectNode parameters, Path savePath) {
    /** The protocol version this spec follows. */
    public static final int PROTOCOL = 1;

    public JobSpec {
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(parameters, "parameters");
    }

    /** The spec as JSON text. */
    public String toJson() {
        ObjectNode json = KilnJson.strict().createObjectNode();
        json.put("protocol", PROTOCOL);
        json.put("training_id", trainingId);
        json.put("module_id", moduleId);
        json.set("parameters", parameters);
        if (savePath == null) {
            json.putNull("save_path");
        } else {
            json.put("save_path", savePath.toAbsolutePath().toString());
        }
        try {
            return KilnJson.strict().writeValueAsString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A job spec could not be written as JSON", e);
        }
    }

    /** Writes the spec to its file in the job directory, atomically. */
    public void writeTo(JobDirectory dir) throws IOException {
        AtomicFiles.write(dir.spec(), toJson());
    }
}
