package dev.kiln.cli.client;

import dev.kiln.json.Parameters;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.ParameterSpec;
import java.util.List;
import java.util.Optional;

/**
 * A trainable module as a client sees it: its identity and its parameters.
 *
 * @param id the stable module id
 * @param name the module name
 * @param version the module version
 * @param task the task it performs
 * @param parameters its training parameters, in declaration order
 */
public record ModuleView(String id, String name, String version, String task, List<ParameterSpec> parameters) {
    public ModuleView {
        parameters = List.copyOf(parameters);
    }

    /** The view of a module type on this class path. */
    public static ModuleView of(ModuleType<?, ?> module) {
        ModuleDescriptor d = module.descriptor();
        return new ModuleView(d.id(), d.name(), d.version(), d.task(), Parameters.specs(module.parametersType()));
    }

    /** The parameter with this name. */
    public Optional<ParameterSpec> parameter(String name) {
        return parameters.stream().filter(p -> p.name().equals(name)).findFirst();
    }

    /** The parameter that takes the training data: {@code training_data}, or else the first data stream. */
    public Optional<ParameterSpec> trainingDataParameter() {
        return parameter("training_data")
                .or(() -> parameters.stream()
                        .filter(p -> p.type().equals("data_stream"))
                        .findFirst());
    }
}
