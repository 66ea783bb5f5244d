package dev.kiln.manager;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.TrainerConfig;
import dev.kiln.error.KilnException;
import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.TrainerFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The front door: trains modules on named trainers, finds any training by id across all trainers, and loads
 * models. Built from configuration ({@code model_management.trainers}).
 */
public final class ModelManager implements AutoCloseable {
    /** The trainer used when none is named. */
    public static final String DEFAULT_TRAINER = "default";

    private final Map<String, ModelTrainer> trainers;
    private final ModuleRegistry modules;

    /** A manager over the given trainers, keyed by name. */
    public ModelManager(Map<String, ModelTrainer> trainers, ModuleRegistry modules) {
        if (trainers.isEmpty()) {
            throw KilnException.invalidArgument("model_management.trainers must name at least one trainer");
        }
        this.trainers = new LinkedHashMap<>(trainers);
        this.modules = modules;
    }

    /** A manager over the trainers the configuration names, with the modules on the class path. */
    public static ModelManager fromConfig(KilnConfig config) {
        return fromConfig(config, TrainerFactory.discover(), ModuleRegistry.global());
    }

    /**
     * A manager over the trainers the configuration names.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad trainer type or config value
     */
    public static ModelManager fromConfig(KilnConfig config, TrainerFactory factory, ModuleRegistry modules) {
        Map<String, ModelTrainer> made = new LinkedHashMap<>();
        try {
            for (TrainerConfig tc : config.trainers().values()) {
                made.put(tc.name(), factory.create(tc));
            }
        } catch (RuntimeException e) {
            made.values().forEach(ModelTrainer::close);
            throw e;
        }
        return new ModelManager(made, modules);
    }

    /** The modules this manager trains and loads. */
    public ModuleRegistry modules() {
        return modules;
    }

    /** The trainers, in configuration order. */
    public Collection<ModelTrainer> trainers() {
        return List.copyOf(trainers.values());
    }

    /**
     * The trainer with this name.
     *
     * @throws KilnException NOT_FOUND listing the configured trainers
     */
    public ModelTrainer trainer(String name) {
        ModelTrainer t = trainers.get(name == null ? DEFAULT_TRAINER : name);
        if (t == null) {
            throw KilnException.notFound(
                    "Unknown trainer '" + name + "'; configured trainers: " + String.join(", ", trainers.keySet()));
        }
        return t;
    }

    /**
     * Trains a module with typed parameters on the named trainer; with {@code wait}, returns once it finished.
     *
     * @throws InterruptedException if waiting is interrupted
     */
    public <P> ModelFuture train(
            ModuleType<P, ?> module, P parameters, String trainerName, TrainOptions options, boolean wait)
            throws InterruptedException {
        ModelFuture future = trainer(trainerName).train(module, parameters, options);
        if (wait) {
            future.await();
        }
        return future;
    }

    /** Trains on the default trainer without waiting. */
    public <P> ModelFuture train(ModuleType<P, ?> module, P parameters, TrainOptions options) {
        return trainer(DEFAULT_TRAINER).train(module, parameters, options);
    }

    /**
     * Trains a module named by id, name or class name, with parameters given as JSON.
     *
     * @throws KilnException NOT_FOUND for an unknown module or trainer, INVALID_ARGUMENT naming a bad parameter
     * @throws InterruptedException if waiting is interrupted
     */
    public ModelFuture train(
            String moduleRef, JsonNode parameters, String trainerName, TrainOptions options, boolean wait)
            throws InterruptedException {
        ModuleType<?, ?> module = modules.get(moduleRef);
        return trainBound(module, parameters, trainerName, options, wait);
    }

    private <P> ModelFuture trainBound(
            ModuleType<P, ?> module, JsonNode json, String trainerName, TrainOptions options, boolean wait)
            throws InterruptedException {
        P params = Parameters.bind(
                module.parametersType(), json, module.descriptor().name());
        return train(module, params, trainerName, options, wait);
    }

    /** The training with this id, on whichever trainer owns it. */
    public Optional<ModelFuture> find(String trainingId) {
        for (ModelTrainer t : trainers.values()) {
            Optional<ModelFuture> f = t.find(trainingId);
            if (f.isPresent()) {
                return f;
            }
        }
        return Optional.empty();
    }

    /**
     * The training with this id, on whichever trainer owns it (external ids included).
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public ModelFuture getModelFuture(String trainingId) {
        return find(trainingId).orElseThrow(() -> KilnException.notFound("Training " + trainingId + " was not found"));
    }

    /** Every retained training on every trainer. */
    public List<ModelFuture> list() {
        List<ModelFuture> all = new ArrayList<>();
        trainers.values().forEach(t -> all.addAll(t.list()));
        all.sort((a, b) -> b.info().submitted().compareTo(a.info().submitted()));
        return all;
    }

    /** Loads the model saved at {@code path}. */
    public Model load(Path path) {
        return ModelFormat.load(path, modules);
    }

    @Override
    public void close() {
        trainers.values().forEach(ModelTrainer::close);
    }

    /**
     * Closes every trainer for a restart of this process ({@link ModelTrainer#closeForRestart()}): those that resume
     * interrupted trainings leave their unfinished ones resumable, the others close as {@link #close()} closes them.
     */
    public void closeForRestart() {
        trainers.values().forEach(ModelTrainer::closeForRestart);
    }
}
