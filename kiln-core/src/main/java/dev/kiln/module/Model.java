package dev.kiln.module;

import java.io.IOException;

/** A trained model: it knows which module made it and how to write its artifacts. */
public interface Model {
    /** The module type this model belongs to. */
    ModuleDescriptor module();

    /**
     * Writes the model's artifacts and its own config keys; Kiln adds the standard keys and makes the save atomic.
     *
     * @throws IOException if an artifact cannot be written
     */
    void save(ModelWriter writer) throws IOException;
}
