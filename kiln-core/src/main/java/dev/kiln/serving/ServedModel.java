package dev.kiln.serving;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;

/**
 * A model id and the saved model it serves. Each registration gets a new generation, so a model saved again under
 * the same id is a different value and never confused with what the cache loaded before.
 *
 * @param id the id clients ask for
 * @param path the saved model's directory
 * @param origin where it came from
 * @param moduleId the id of the module that saved it (from its {@code config.yml})
 * @param trainingId the training that saved it, or null
 * @param since when the model became available (a training's completion time, else registration time)
 * @param generation a number unique to this registration
 */
public record ServedModel(
        String id, Path path, ModelOrigin origin, String moduleId, String trainingId, Instant since, long generation) {
    public ServedModel {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(moduleId, "moduleId");
        Objects.requireNonNull(since, "since");
    }

    /** The identity of the files served, shared by every id that serves them: what the cache loads once. */
    public Key key() {
        return new Key(path, generation);
    }

    /**
     * The files of a registration.
     *
     * @param path the model's directory
     * @param generation the registration's number
     */
    public record Key(Path path, long generation) {}

    /** This model under another id (same files, same generation). */
    ServedModel withId(String otherId) {
        return new ServedModel(otherId, path, origin, moduleId, trainingId, since, generation);
    }
}
