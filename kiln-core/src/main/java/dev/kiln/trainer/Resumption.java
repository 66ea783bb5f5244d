package dev.kiln.trainer;

import dev.kiln.job.Progress;
import java.time.Instant;
import java.util.Objects;

/**
 * A training that stopped unfinished because the process running it died, submitted again to finish from its
 * checkpoints: it keeps its id, its submission time (so its place in the queue) and its progress.
 *
 * @param trainingId the training's id
 * @param submitted when it was first submitted
 * @param progress the latest progress recorded for it, or null; reports at or below its step are not repeated
 * @param savePathExisted whether its save path existed before it was first submitted (such a path is never deleted)
 */
public record Resumption(String trainingId, Instant submitted, Progress progress, boolean savePathExisted) {
    public Resumption {
        Objects.requireNonNull(trainingId, "trainingId");
        Objects.requireNonNull(submitted, "submitted");
    }
}
