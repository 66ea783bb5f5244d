package dev.kiln.bench.modules;

import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;

/** A module whose training returns at once: timing it measures the trainer's round trip and nothing else. */
@ModuleInfo(id = "2ec25f97-fe72-459e-8d24-4ddd8eb3e2da", name = "BenchInstant", version = "1.0.0", task = "Benchmark")
public final class InstantModule implements ModuleType<InstantModule.Params, TrivialModel> {
    private static final ModuleDescriptor DESCRIPTOR = ModuleDescriptor.of(InstantModule.class);

    /** No parameters. */
    public record Params() {}

    /** The one parameters value, shared by every training. */
    public static final Params PARAMS = new Params();

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public ModuleDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public TrivialModel train(Params parameters, TrainingContext context) {
        return new TrivialModel(DESCRIPTOR);
    }

    @Override
    public TrivialModel load(ModelDirectory directory) {
        return new TrivialModel(DESCRIPTOR);
    }
}
