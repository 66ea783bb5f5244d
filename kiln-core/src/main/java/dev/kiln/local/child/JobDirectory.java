package dev.kiln.local.child;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;

/**
 * A child job's working directory under the trainer's {@code work_dir}: its spec, the events it sent, its captured
 * output, and its model when the training was given no save path.
 *
 * @param path the directory
 */
record JobDirectory(Path path) {

    /**
     * Creates a fresh directory, readable by this user only, for the job; a second run under the same id gets a
     * numbered one.
     *
     * @throws IOException naming the directory and {@code work_dir} when it cannot be created
     */
    static JobDirectory create(Path trainerDir, String jobId) throws IOException {
        try {
            PrivateDirectories.create(trainerDir);
            for (int n = 1; ; n++) {
                Path dir = trainerDir.resolve(n == 1 ? jobId : jobId + "-" + n);
                try {
                    return new JobDirectory(PrivateDirectories.createNew(dir));
                } catch (FileAlreadyExistsException e) {
                    // taken by an earlier run of the same id
                }
            }
        } catch (IOException e) {
            throw new IOException(
                    "Cannot create the working directory of training " + jobId + " in " + trainerDir + " (work_dir): "
                            + e,
                    e);
        }
    }

    Path spec() {
        return path.resolve("spec.json");
    }

    Path events() {
        return path.resolve("events.jsonl");
    }

    Path output() {
        return path.resolve("output.log");
    }

    /** Where the model goes when the training has no save path of its own. */
    Path model() {
        return path.resolve("model");
    }
}
