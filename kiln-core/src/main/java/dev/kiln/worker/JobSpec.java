package dev.kiln.worker;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.json.KilnJson;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Objects;

/**
 * What a worker is asked to train: the {@code spec.json} of a job directory, or the first line a pipe-mode worker
 * reads from its standard input.
 *
 * @param trainingId the training id, recorded as the saved model's {@code tracking_id}
 * @param moduleId the module's stable id
 * @param parameters the module's parameters as {@link dev.kiln.json.Parameters#toJson} writes them
 * @param savePath where to save the model (absolute), or null to save nothing
 * @param jobDir the job's working directory, where the worker keeps its scratch space, or null
 * @param checkpointDir where the training's checkpoints live (absolute), or null for {@code checkpoints} in the job
 *     directory
 * @param checkpointKeep how many of the newest checkpoints to keep
 * @param predict the batch prediction to run instead of a training (its results go to {@code savePath}), or null
 * @param dataBase the directory every data file the worker reads must stay inside once its links are resolved
 *     ({@code data_streams.file_source_base} of the process that accepted the training), or null for none
 */
public record JobSpec(
        String trainingId,
        String moduleId,
        ObjectNode parameters,
        Path savePath,
        Path jobDir,
        Path checkpointDir,
        int checkpointKeep,
        BatchSpec predict,
        Path dataBase) {

    /** A spec whose checkpoints go to {@code checkpoints} in the job directory, the newest two kept. */
    public JobSpec(String trainingId, String moduleId, ObjectNode parameters, Path savePath, Path jobDir) {
        this(trainingId, moduleId, parameters, savePath, jobDir, null, 2, null, null);
    }

    /** A training's spec. */
    public JobSpec(
            String trainingId,
            String moduleId,
            ObjectNode parameters,
            Path savePath,
            Path jobDir,
            Path checkpointDir,
            int checkpointKeep) {
        this(trainingId, moduleId, parameters, savePath, jobDir, checkpointDir, checkpointKeep, null, null);
    }

    /** The spec of a batch prediction that writes its results to {@code results}. */
    public static JobSpec batch(String predictionId, BatchSpec batch, Path results, Path jobDir) {
        return new JobSpec(predictionId, batch.moduleId(), null, results, jobDir, null, 2, batch, null);
    }

    public JobSpec {
        if (checkpointKeep < 1) {
            throw new IllegalArgumentException("checkpointKeep must be at least 1");
        }
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(moduleId, "moduleId");
        parameters = parameters == null ? JsonNodeFactory.instance.objectNode() : parameters;
    }

    /** This spec with {@code dir} as its job directory. */
    public JobSpec withJobDir(Path dir) {
        return new JobSpec(
                trainingId, moduleId, parameters, savePath, dir, checkpointDir, checkpointKeep, predict, dataBase);
    }

    /** This spec with {@code base} as the directory its data files must stay inside, or none if null. */
    public JobSpec withDataBase(Path base) {
        return new JobSpec(
                trainingId, moduleId, parameters, savePath, jobDir, checkpointDir, checkpointKeep, predict, base);
    }

    /** The confinement the worker reads data files under: {@link #dataBase()}, or none. */
    public FileSourcePolicy dataFiles() {
        return dataBase == null ? FileSourcePolicy.unrestricted() : FileSourcePolicy.confinedTo(dataBase);
    }

    /**
     * Where the training's checkpoints live: the spec's {@code checkpoint_dir}, else {@code checkpoints} in the job
     * directory, else null (the training has no durable place for them).
     */
    public Path effectiveCheckpointDir() {
        if (checkpointDir != null) {
            return checkpointDir;
        }
        return jobDir == null ? null : jobDir.resolve("checkpoints");
    }

    /** This spec as one line of JSON. */
    public String toJson() {
        ObjectNode node = JsonNodeFactory.instance.objectNode();
        node.put("protocol", WorkerProtocol.VERSION);
        node.put("training_id", trainingId);
        node.put("module_id", moduleId);
        node.set("parameters", parameters);
        node.put("save_path", savePath == null ? null : savePath.toString());
        if (jobDir != null) {
            node.put("job_dir", jobDir.toString());
        }
        if (checkpointDir != null) {
            node.put("checkpoint_dir", checkpointDir.toString());
        }
        node.put("checkpoint_keep", checkpointKeep);
        if (predict != null) {
            node.set("predict", predict.toJson());
        }
        if (dataBase != null) {
            node.put("data_base", dataBase.toString());
        }
        try {
            return KilnJson.strict().writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write the spec of training " + trainingId, e);
        }
    }

    /**
     * Reads a spec.
     *
     * @param where names the spec's origin in error messages, such as its file
     * @throws ProtocolException naming the field at fault, or the versions when they differ
     */
    public static JobSpec parse(String json, String where) throws ProtocolException {
        JsonNode node;
        try {
            node = KilnJson.strict().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ProtocolException("The job spec in " + where + " is not valid JSON: " + e.getOriginalMessage());
        }
        if (node == null || !node.isObject()) {
            throw new ProtocolException("The job spec in " + where + " must be a JSON object");
        }
        JsonNode protocol = node.get("protocol");
        if (protocol == null || !protocol.isInt()) {
            throw new ProtocolException("The job spec in " + where + " has no protocol version");
        }
        if (protocol.intValue() != WorkerProtocol.VERSION) {
            throw new ProtocolException("The job spec in " + where + " uses protocol version " + protocol.intValue()
                    + " but this worker speaks version " + WorkerProtocol.VERSION);
        }
        JsonNode parameters = node.get("parameters");
        if (parameters != null && !parameters.isNull() && !parameters.isObject()) {
            throw new ProtocolException("Field 'parameters' of the job spec in " + where + " must be a JSON object");
        }
        Path savePath = optionalPath(node, "save_path", where);
        Path jobDir = optionalPath(node, "job_dir", where);
        Path checkpointDir = optionalPath(node, "checkpoint_dir", where);
        Path dataBase = optionalPath(node, "data_base", where);
        JsonNode keep = node.get("checkpoint_keep");
        if (keep != null && !keep.isNull() && (!keep.isInt() || keep.intValue() < 1)) {
            throw new ProtocolException(
                    "Field 'checkpoint_keep' of the job spec in " + where + " must be a whole number of at least 1");
        }
        String moduleId = requiredText(node, "module_id", where);
        JsonNode predict = node.get("predict");
        if (predict != null && !predict.isNull() && savePath == null) {
            throw new ProtocolException("The job spec in " + where + " asks for a batch prediction but has no"
                    + " 'save_path' for its results");
        }
        return new JobSpec(
                requiredText(node, "training_id", where),
                moduleId,
                parameters == null || parameters.isNull() ? null : (ObjectNode) parameters,
                savePath,
                jobDir,
                checkpointDir,
                keep == null || keep.isNull() ? 2 : keep.intValue(),
                predict == null || predict.isNull() ? null : BatchSpec.parse(predict, moduleId, where),
                dataBase);
    }

    private static String requiredText(JsonNode node, String field, String where) throws ProtocolException {
        String value = optionalText(node, field, where);
        if (value == null || value.isEmpty()) {
            throw new ProtocolException("Field '" + field + "' of the job spec in " + where + " is missing");
        }
        return value;
    }

    private static Path optionalPath(JsonNode node, String field, String where) throws ProtocolException {
        String value = optionalText(node, field, where);
        try {
            return value == null ? null : Path.of(value);
        } catch (InvalidPathException e) {
            throw new ProtocolException(
                    "Field '" + field + "' of the job spec in " + where + " is not a path: " + e.getReason());
        }
    }

    private static String optionalText(JsonNode node, String field, String where) throws ProtocolException {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw new ProtocolException("Field '" + field + "' of the job spec in " + where + " must be a string");
        }
        return value.textValue();
    }
}
