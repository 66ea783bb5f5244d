package dev.kiln.trainer.base;

import dev.kiln.error.KilnException;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobStatus;
import dev.kiln.module.ModuleType;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The rules every trainer applies at both ends of a training: what it accepts, and what its purge deletes. */
public final class Submissions {
    private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);

    private Submissions() {}

    /**
     * Checks a training before a trainer accepts it.
     *
     * @return the options to use: {@link TrainOptions#none()} for null
     * @throws KilnException FAILED_PRECONDITION if the trainer is closed; INVALID_ARGUMENT for a model name or
     *     external id that is not one path segment, missing parameters, or parameters the module refuses
     */
    public static <P> TrainOptions accept(
            String trainer, boolean closed, ModuleType<P, ?> module, P parameters, TrainOptions options) {
        Objects.requireNonNull(module, "module");
        TrainOptions opts = options == null ? TrainOptions.none() : options;
        if (closed) {
            throw KilnException.failedPrecondition("Trainer " + trainer + " is closed");
        }
        opts.requireSafeNames();
        if (parameters == null) {
            throw KilnException.invalidArgument(
                    "Parameters for module " + module.descriptor().name() + " are missing");
        }
        module.validate(parameters);
        return opts;
    }

    /**
     * Deletes the model a purged training saved, when {@code delete_results_on_purge} is set, the training
     * completed, and its save path did not exist before it; a failure is logged, not thrown.
     */
    public static void deleteSavedModel(ModelFuture job, boolean savePathExisted, boolean deleteResultsOnPurge) {
        Optional<Path> saved = job.savePath();
        if (!deleteResultsOnPurge
                || saved.isEmpty()
                || savePathExisted
                || job.info().status() != JobStatus.COMPLETED) {
            return;
        }
        try {
            NoFollowPaths.deleteTree(saved.get());
        } catch (RuntimeException e) {
            LOG.warn("Could not delete the model of purged training {} at {}: {}", job.id(), saved.get(), e.toString());
        }
    }
}
