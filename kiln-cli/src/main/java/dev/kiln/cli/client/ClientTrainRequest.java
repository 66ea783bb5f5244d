package dev.kiln.cli.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A training to start.
 *
 * @param module the module's name or id
 * @param parameters the parameters as JSON, data streams as caikit-shaped descriptors
 * @param trainer the configured trainer to run it on
 * @param savePath the directory to save into: absolute for a local training; for a server, as given on the command
 *     line (relative to the server's output directory) or null for the server's default
 * @param saveWithId whether the training id is appended to the save path (local trainings only)
 * @param modelName a name appended to the save path, or null
 * @param subprocess whether the training runs in a child JVM (local trainings only)
 */
public record ClientTrainRequest(
        String module,
        ObjectNode parameters,
        String trainer,
        Path savePath,
        boolean saveWithId,
        String modelName,
        boolean subprocess) {
    public ClientTrainRequest {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(parameters, "parameters");
        Objects.requireNonNull(trainer, "trainer");
    }
}
