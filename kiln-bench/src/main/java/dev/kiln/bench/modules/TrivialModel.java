package dev.kiln.bench.modules;

import dev.kiln.module.Model;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;

/** A model with no weights: saving writes only Kiln's standard {@code config.yml}. */
public final class TrivialModel implements Model {
    private final ModuleDescriptor module;

    /** A model made by the given module. */
    public TrivialModel(ModuleDescriptor module) {
        this.module = module;
    }

    @Override
    public ModuleDescriptor module() {
        return module;
    }

    @Override
    public void save(ModelWriter writer) {
        // nothing beyond the standard keys
    }
}
