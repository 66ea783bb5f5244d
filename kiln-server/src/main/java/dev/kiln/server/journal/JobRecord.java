package dev.kiln.server.journal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.job.JobInfo;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.trainer.TrainOptions;
import java.util.Objects;

/**
 * What the journal keeps about one training.
 *
 * @param trainer the trainer instance that runs it
 * @param module the module it trains
 * @param modelName the model name it was given, or null
 * @param parameters the parameters as submitted, or null when unknown or not loaded (lists leave them out)
 * @param options the options it was started with
 * @param savePath where its model is (or will be) saved, or null
 * @param savePathExisted whether the save path existed before the training; such a path is never deleted
 * @param info its state, times, errors and latest progress
 */
public record JobRecord(
        String trainer,
        ModuleDescriptor module,
        String modelName,
        JsonNode parameters,
        TrainOptions options,
        String savePath,
        boolean savePathExisted,
        JobInfo info) {

    public JobRecord {
        Objects.requireNonNull(trainer, "trainer");
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(info, "info");
    }

    /** The training id. */
    public String trainingId() {
        return info.id();
    }
}
