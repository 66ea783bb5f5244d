package dev.kiln.serving;

import dev.kiln.error.KilnException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The served model ids and what each serves. A completed training's model is served under its model name and under
 * {@code <training_id>/<model_name>}; when trainings share a name, the one that completed last serves it. A model in
 * the local models directory (found or deployed) is served under its directory name and keeps that name against
 * trainings. Each change swaps one id's value atomically, so a reader sees the old model or the new, never neither;
 * a listener hears of every registration no id serves any more, so a cache can drop it.
 */
public final class ModelCatalog {
    private final ConcurrentHashMap<String, ServedModel> byId = new ConcurrentHashMap<>();
    private final AtomicLong generations = new AtomicLong();
    private final Consumer<ServedModel> onDropped;

    /** A catalog that tells {@code onDropped} of every registration that no id serves any more. */
    public ModelCatalog(Consumer<ServedModel> onDropped) {
        this.onDropped = onDropped;
    }

    /** The id a training's model is always reachable under. */
    public static String trainingModelId(String trainingId, String modelName) {
        return trainingId + "/" + modelName;
    }

    /**
     * Serves a completed training's model under {@code modelName} (unless a newer training or a local model holds
     * that name) and under {@code <trainingId>/<modelName>}.
     *
     * @return the model as served under {@code <trainingId>/<modelName>}
     */
    public ServedModel addTrained(String trainingId, String modelName, Path path, String moduleId, Instant completed) {
        String full = trainingModelId(trainingId, modelName);
        ServedModel model = new ServedModel(
                full, path, ModelOrigin.TRAINED, moduleId, trainingId, completed, generations.incrementAndGet());
        put(model);
        ServedModel named = model.withId(modelName);
        ServedModel[] replaced = new ServedModel[1];
        byId.compute(modelName, (id, old) -> {
            if (old == null || (old.origin() == ModelOrigin.TRAINED && !completed.isBefore(old.since()))) {
                replaced[0] = old;
                return named;
            }
            return old;
        });
        dropped(replaced[0]);
        return model;
    }

    /** Serves a model of the local models directory under its directory name, replacing what that id served. */
    public ServedModel addLocal(String id, Path path, String moduleId, ModelOrigin origin, Instant since) {
        ServedModel model = new ServedModel(id, path, origin, moduleId, null, since, generations.incrementAndGet());
        put(model);
        return model;
    }

    /**
     * Stops serving an id.
     *
     * @return what it served, if anything
     */
    public Optional<ServedModel> remove(String id) {
        ServedModel old = byId.remove(id);
        dropped(old);
        return Optional.ofNullable(old);
    }

    /**
     * Stops serving a training's model under both its ids; its name passes to the newest other training of that
     * name, if any.
     */
    public void removeTraining(String trainingId, String modelName) {
        remove(trainingModelId(trainingId, modelName));
        ServedModel[] replaced = new ServedModel[1];
        byId.computeIfPresent(modelName, (id, old) -> {
            if (old.origin() != ModelOrigin.TRAINED || !trainingId.equals(old.trainingId())) {
                return old;
            }
            replaced[0] = old;
            return newestTrained(modelName).map(m -> m.withId(modelName)).orElse(null);
        });
        dropped(replaced[0]);
    }

    private Optional<ServedModel> newestTrained(String modelName) {
        String suffix = "/" + modelName;
        return byId.values().stream()
                .filter(m -> m.origin() == ModelOrigin.TRAINED && m.id().equals(m.trainingId() + suffix))
                .max(Comparator.comparing(ServedModel::since));
    }

    /** What {@code id} serves, if anything. */
    public Optional<ServedModel> find(String id) {
        return Optional.ofNullable(byId.get(id));
    }

    /**
     * What {@code id} serves.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public ServedModel get(String id) {
        ServedModel m = byId.get(id);
        if (m == null) {
            throw KilnException.notFound("Model '" + id + "' not loaded: no model is served under that id");
        }
        return m;
    }

    /** Every served id's model, in id order. */
    public List<ServedModel> all() {
        List<ServedModel> out = new ArrayList<>(byId.values());
        out.sort(Comparator.comparing(ServedModel::id));
        return out;
    }

    private void put(ServedModel model) {
        dropped(byId.put(model.id(), model));
    }

    private void dropped(ServedModel old) {
        if (old != null && byId.values().stream().noneMatch(m -> m.generation() == old.generation())) {
            onDropped.accept(old);
        }
    }
}
