package dev.kiln.trainer.base;

import dev.kiln.module.ModuleType;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A training a trainer has checked and accepted, before it becomes a job: everything the trainer base settled for it.
 *
 * @param trainingId the external id, or a new random one
 * @param module the module to train
 * @param parameters the module's typed parameters, already validated
 * @param options the options, never null
 * @param savePath where the model is saved, resolved as caikit does and canonical; null for no save path
 * @param savePathExisted whether something was at the save path already; it is never deleted then
 * @param submitted when the trainer accepted it
 */
public record AcceptedTraining(
        String trainingId,
        ModuleType<?, ?> module,
        Object parameters,
        TrainOptions options,
        Path savePath,
        boolean savePathExisted,
        Instant submitted) {}
