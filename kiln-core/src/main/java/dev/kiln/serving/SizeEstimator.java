package dev.kiln.serving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Estimates how much heap a loaded model holds, which the cache counts against its bound. */
@FunctionalInterface
public interface SizeEstimator {
    /** The estimated heap bytes of a model loaded from these files. */
    long estimate(ServedModel model);

    /**
     * caikit's rule: the model's bytes on disk times a multiplier ({@code default_model_size_multiplier}).
     *
     * @throws IllegalArgumentException if the multiplier is not positive
     */
    static SizeEstimator diskTimes(double multiplier) {
        if (!(multiplier > 0)) {
            throw new IllegalArgumentException("The size multiplier must be positive; got " + multiplier);
        }
        return model -> Math.max(1, (long) (diskBytes(model.path()) * multiplier));
    }

    /** The total size of the regular files under {@code dir}, or 0 if it cannot be read. */
    static long diskBytes(Path dir) {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile)
                    .mapToLong(p -> {
                        try {
                            return Files.size(p);
                        } catch (IOException e) {
                            return 0;
                        }
                    })
                    .sum();
        } catch (IOException | UncheckedIOException e) {
            return 0; // the files moved or vanished while counting: the load that follows reports it
        }
    }
}
