package dev.kiln.serving;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.RunnableModel;
import dev.kiln.serving.task.TaskRegistry;
import dev.kiln.serving.task.TaskSpec;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Serving without HTTP: resolves model ids through the {@link ModelCatalog}, loads through the {@link ModelCache}
 * and runs predictions in caikit's task shapes. Completed trainings are added with {@link #addTrained} (or by the
 * listener from {@link TrainedModels#listener}), the local models directory with {@link #syncLocalModels}.
 */
public final class ModelServing {
    private final ServingSettings settings;
    private final ModuleRegistry modules;
    private final TaskRegistry tasks;
    private final ModelCache cache;
    private final ModelCatalog catalog;
    private final LocalModelsDirectory localDir;
    private final LocalModels local;
    private final InputReader inputs;
    private volatile Predicate<String> onMiss;

    /** Serving with Kiln's model format, the modules given, and their tasks. */
    public ModelServing(ServingSettings settings, ModuleRegistry modules) {
        this(
                settings,
                modules,
                TaskRegistry.of(modules),
                m -> ModelFormat.load(m.path(), modules),
                SizeEstimator.diskTimes(settings.sizeMultiplier()),
                Clock.systemUTC());
    }

    /** Serving with an explicit loader, size estimator and clock (for tests and embedders). */
    public ModelServing(
            ServingSettings settings,
            ModuleRegistry modules,
            TaskRegistry tasks,
            ModelLoader loader,
            SizeEstimator sizes,
            Clock clock) {
        this.settings = settings;
        this.modules = modules;
        this.tasks = tasks;
        this.cache = new ModelCache(loader, sizes, settings.cacheMaxBytes(), System::nanoTime);
        this.catalog = new ModelCatalog(cache::evict);
        this.localDir = new LocalModelsDirectory(settings.localModelsDir());
        this.local = new LocalModels(localDir, catalog, clock);
        this.inputs = new InputReader();
    }

    /** The settings. */
    public ServingSettings settings() {
        return settings;
    }

    /** The served ids. */
    public ModelCatalog catalog() {
        return catalog;
    }

    /** The models in memory. */
    public ModelCache cache() {
        return cache;
    }

    /** The tasks and their shapes. */
    public TaskRegistry tasks() {
        return tasks;
    }

    /** The local models directory. */
    public LocalModelsDirectory localModelsDirectory() {
        return localDir;
    }

    /**
     * Serves a completed training's model under {@code modelName} and {@code <trainingId>/<modelName>}, unless
     * {@code runtime.training.auto_load_trained_model} is off.
     *
     * @return the model under {@code <trainingId>/<modelName>}, or empty if not served or its files hold no model
     */
    public Optional<ServedModel> addTrained(String trainingId, String modelName, Path path, Instant completed) {
        if (!settings.autoLoadTrainedModel() || modelName == null || path == null) {
            return Optional.empty();
        }
        String moduleId;
        try {
            moduleId = ModelFormat.read(path).string("module_id");
        } catch (KilnException e) {
            return Optional.empty();
        }
        return Optional.of(catalog.addTrained(trainingId, modelName, path, moduleId, completed));
    }

    /** Stops serving a training's model (its saved files were purged). */
    public void removeTrained(String trainingId, String modelName) {
        catalog.removeTraining(trainingId, modelName);
    }

    /** Brings the served local models in line with the directory: new ones served, changed ones reloaded, gone
     * ones dropped. */
    public void syncLocalModels() {
        local.sync();
    }

    /**
     * Sets what {@link #resolve} asks when an id is not served yet: it serves the model under that id if it can and
     * says whether it did. A training's model is served by a job listener, which hears of the end a moment after the
     * training reads COMPLETED; a client that predicts at once finds the model through this.
     */
    public void onMiss(Predicate<String> catchUp) {
        this.onMiss = catchUp;
    }

    /**
     * The model served under {@code modelId}; with lazy loading of local models, a model directory of that name
     * that appeared since the last sync is served at once.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public ServedModel resolve(String modelId) {
        return find(modelId).orElseThrow(() -> KilnException.notFound("Model '" + modelId + "' not loaded"));
    }

    private Optional<ServedModel> find(String modelId) {
        Optional<ServedModel> m = catalog.find(modelId);
        if (m.isEmpty() && settings.lazyLoadLocalModels()) {
            m = local.pickUp(modelId);
        }
        Predicate<String> catchUp = onMiss;
        if (m.isEmpty() && catchUp != null && catchUp.test(modelId)) {
            m = catalog.find(modelId);
        }
        return m;
    }

    /**
     * The model served under {@code modelId}, loaded.
     *
     * @throws KilnException NOT_FOUND naming the id, or the load's error naming the id and the cause
     */
    public LoadedModel load(String modelId) {
        return cache.get(resolve(modelId));
    }

    /** The task the model under {@code modelId} performs, found without loading it. */
    public TaskSpec taskOf(ServedModel model) {
        return tasks.forModule(module(model));
    }

    /**
     * Runs the model under {@code modelId} on a request's {@code inputs} for {@code task}, in the task's answer
     * shape.
     *
     * @throws KilnException NOT_FOUND for an unknown model, INVALID_ARGUMENT for a model of another task or inputs
     *     that do not fit (naming the field), the load's error if the model cannot be loaded
     */
    public JsonNode predict(TaskSpec task, String modelId, JsonNode requestInputs) {
        ServedModel served = resolve(modelId);
        TaskSpec modelTask = taskOf(served);
        if (!modelTask.name().equals(task.name())) {
            throw KilnException.invalidArgument("Model '" + modelId + "' performs " + modelTask.name() + ", not "
                    + task.name() + "; ask /api/v1/task/" + modelTask.routeName());
        }
        JsonNode modelInput = task.modelInput(requestInputs);
        LoadedModel loaded = cache.get(served);
        Object output = run(modelId, loaded, inputs.read(modelInput, runnable(modelId, loaded)));
        return task.answer(inputs.mapper().valueToTree(output));
    }

    /**
     * Runs the model under {@code modelId} on one typed input.
     *
     * @throws KilnException NOT_FOUND for an unknown model, INVALID_ARGUMENT if the model cannot run or the input
     *     does not fit
     */
    public Object run(String modelId, Object input) {
        LoadedModel loaded = load(modelId);
        RunnableModel<?, ?> model = runnable(modelId, loaded);
        return run(modelId, loaded, inputs.convert(input, model));
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object run(String modelId, LoadedModel loaded, Object input) {
        RunnableModel model = (RunnableModel) loaded.model();
        try {
            return model.run(input);
        } catch (KilnException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new KilnException(ErrorCode.INTERNAL, "Model '" + modelId + "' failed on its input: " + e, e);
        }
    }

    private static RunnableModel<?, ?> runnable(String modelId, LoadedModel loaded) {
        if (loaded.model() instanceof RunnableModel<?, ?> r) {
            return r;
        }
        throw KilnException.invalidArgument(
                "Model '" + modelId + "' (module " + loaded.model().module().name() + ") cannot run predictions");
    }

    /**
     * Every served model, or those named; the sizes are estimates, from memory for loaded models.
     *
     * @throws KilnException NOT_FOUND naming the first id not served
     */
    public List<ModelStatus> status(List<String> ids) {
        List<ServedModel> models = new ArrayList<>();
        if (ids == null || ids.isEmpty()) {
            models.addAll(catalog.all());
        } else {
            for (String id : ids) {
                models.add(find(id).orElseThrow(() -> KilnException.notFound("Model " + id + " is not loaded")));
            }
        }
        return models.stream().map(this::status).toList();
    }

    private ModelStatus status(ServedModel m) {
        Optional<LoadedModel> loaded = cache.peek(m);
        long size = loaded.map(LoadedModel::estimatedBytes)
                .orElseGet(
                        () -> SizeEstimator.diskTimes(settings.sizeMultiplier()).estimate(m));
        Optional<ModuleDescriptor> d = modules.find(m.moduleId()).map(ModuleType::descriptor);
        return new ModelStatus(
                m.id(),
                m.path(),
                size,
                loaded.isPresent(),
                m.moduleId(),
                d.map(ModuleDescriptor::name).orElse(null),
                d.map(ModuleDescriptor::version).orElse(null),
                m.origin(),
                m.trainingId(),
                loaded.isPresent() ? null : cache.lastFailure(m).orElse(null));
    }

    /**
     * Writes a model's files into the local models directory as {@code id}, loads it and serves it. A model that does
     * not load is refused: its directory is removed again and nothing of it is served, so a client learns at once
     * that its files are bad instead of at its first prediction.
     *
     * @throws KilnException CONFLICT if {@code id} exists, INVALID_ARGUMENT for a bad id or file name, files that hold
     *     no model, or a model that does not load (naming the model and the cause)
     */
    public ModelStatus deploy(String id, Map<String, byte[]> files) {
        LocalModelsDirectory.Found found = localDir.deploy(id, files);
        ServedModel served = local.served(found, ModelOrigin.DEPLOYED);
        try {
            cache.get(served);
        } catch (KilnException e) {
            local.forget(id);
            localDir.remove(id);
            throw KilnException.invalidArgument(
                    "Model '" + id + "' was not deployed: its files do not load (" + e.getMessage() + ")");
        }
        return status(served);
    }

    /**
     * Stops serving {@code id} and deletes its directory from the local models directory.
     *
     * @throws KilnException NOT_FOUND if {@code id} is not a model of that directory
     */
    public void undeploy(String id) {
        localDir.undeploy(id);
        local.forget(id);
    }

    private ModuleDescriptor module(ServedModel m) {
        return modules.find(m.moduleId())
                .map(ModuleType::descriptor)
                .orElseThrow(() -> KilnException.failedPrecondition("Model '" + m.id() + "' was saved by module id "
                        + m.moduleId() + ", which is not on the class path"));
    }
}
