package dev.kiln.local.child;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A child job's working directory under the trainer's {@code work_dir}: its spec, the events it sent, its captured
 * output, and its model when the training was given no save path.
 *
 * @param path the directory
 */
record JobDirectory(Path path) {

    /** Creates a fresh directory for the job; a second run under the same id gets a numbered one. */
    static JobDirectory create(Path trainerDir, String jobId) throws IOException {
        Files.createDirectories(trainerDir);
        for (int n = 1; ; n++) {
            Path dir = trainerDir.resolve(n == 1 ? jobId : jobId + "-" + n);
            try {
                return new JobDirectory(Files.createDirectory(dir));
            } catch (FileAlreadyExistsException e) {
                // taken by an earlier run of the same id
            }
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
