package dev.kiln.serving;

import dev.kiln.module.Model;

/** Loads a served model's files into memory; {@link dev.kiln.modelformat.ModelFormat#load} in production. */
@FunctionalInterface
public interface ModelLoader {
    /**
     * Loads the model.
     *
     * @throws Exception any failure; the cache reports it naming the model id
     */
    Model load(ServedModel model) throws Exception;
}
