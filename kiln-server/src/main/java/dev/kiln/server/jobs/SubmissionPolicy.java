package dev.kiln.server.jobs;

import dev.kiln.data.FileSourcePolicy;
import java.nio.file.Path;

/**
 * Where trainings submitted over HTTP may read and write.
 *
 * @param outputDir the directory models are saved under ({@code runtime.training.output_dir}), absolute
 * @param saveWithId whether the training id is appended to the save path ({@code runtime.training.save_with_id})
 * @param dataFiles the confinement of data paths ({@code data_streams.file_source_base})
 */
public record SubmissionPolicy(Path outputDir, boolean saveWithId, FileSourcePolicy dataFiles) {
    public SubmissionPolicy {
        outputDir = outputDir.toAbsolutePath().normalize();
    }
}
