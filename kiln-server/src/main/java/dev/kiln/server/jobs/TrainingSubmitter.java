package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.json.Parameters;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleType;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Submits training requests: validates them at the edge (paths, parameters, ids), hands them to a trainer, and
 * answers only once the journal holds the submission.
 */
final class TrainingSubmitter {
    private final ModelManager manager;
    private final TrainingCatalog catalog;
    private final JobJournal journal;
    private final PendingSubmissions pending;
    private final SubmissionPolicy policy;
    private final ParameterPaths paths;
    private final BooleanSupplier accepting;

    TrainingSubmitter(
            ModelManager manager,
            TrainingCatalog catalog,
            JobJournal journal,
            PendingSubmissions pending,
            SubmissionPolicy policy,
            BooleanSupplier accepting) {
        this.manager = manager;
        this.catalog = catalog;
        this.journal = journal;
        this.pending = pending;
        this.policy = policy;
        this.paths = new ParameterPaths(policy);
        this.accepting = accepting;
    }

    /**
     * Starts a training of {@code module}.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad field, parameter or path; CONFLICT if the id names a
     *     training that has not ended; UNAVAILABLE if the server is shutting down or the journal failed
     */
    TrainResponse submit(ModuleType<?, ?> module, TrainRequest request) {
        if (!accepting.getAsBoolean()) {
            throw new KilnException(ErrorCode.UNAVAILABLE, "The server is shutting down and takes no new trainings");
        }
        ModelTrainer trainer = trainer(request.trainer());
        String id = request.trainingId() != null
                ? request.trainingId()
                : UUID.randomUUID().toString();
        if (request.trainingId() != null) {
            Optional<TrainingView> existing = catalog.find(id);
            if (existing.isPresent() && !existing.get().info().status().isTerminal()) {
                throw KilnException.conflict("Cannot restart training " + id + " that is currently running");
            }
        }
        Path outputDir = request.outputPath() == null
                ? policy.outputDir()
                : ConfinedPaths.resolve(
                        policy.outputDir(), request.outputPath(), "output_path", "runtime.training.output_dir");
        requireSavePathInside(outputDir, id, request.modelName());
        String moduleName = module.descriptor().name();
        ObjectNode parameters = paths.confine(module.parametersType(), request.parameters(), moduleName);
        TrainOptions options = new TrainOptions(
                        NoFollowPaths.canonical(outputDir),
                        policy.saveWithId(),
                        id,
                        request.modelName(),
                        request.priority())
                .withMaxRetries(request.maxRetries());
        PendingSubmissions.Submission submission =
                pending.register(id, ParameterPaths.forRecord(module.parametersType(), parameters));
        ModelFuture future;
        try {
            future = train(trainer, module, parameters, options, policy.dataFiles());
        } finally {
            pending.remove(id, submission);
        }
        if (submission.failure() != null) {
            future.cancel();
            throw submission.failure();
        }
        if (!submission.isRecorded()) {
            journal.recordSubmitted(JournalRecorder.record(future, future.info(), submission.parameters()));
        }
        return new TrainResponse(future.id(), request.modelName());
    }

    /**
     * The training id (with {@code save_with_id}) and the model name become segments of the save path: neither may
     * name a link that leads out of the output directory.
     */
    private void requireSavePathInside(Path outputDir, String id, String modelName) {
        String key = "runtime.training.output_dir";
        Path withId = policy.saveWithId() ? outputDir.resolve(NoFollowPaths.parse(id, "training_id")) : outputDir;
        ConfinedPaths.requireInside(policy.outputDir(), withId, "training_id", id, key);
        if (modelName != null) {
            Path full = withId.resolve(NoFollowPaths.parse(modelName, "model_name"));
            ConfinedPaths.requireInside(policy.outputDir(), full, "model_name", modelName, key);
        }
    }

    private ModelTrainer trainer(String name) {
        try {
            return manager.trainer(name);
        } catch (KilnException e) {
            throw KilnException.invalidArgument(e.getMessage());
        }
    }

    private static <P> ModelFuture train(
            ModelTrainer trainer,
            ModuleType<P, ?> module,
            JsonNode parameters,
            TrainOptions options,
            FileSourcePolicy dataFiles) {
        P bound = Parameters.bind(
                module.parametersType(), parameters, module.descriptor().name(), dataFiles);
        return trainer.train(module, bound, options);
    }
}
