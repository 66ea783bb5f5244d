package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.job.JobError;
import dev.kiln.model.ModelFormat;
import dev.kiln.model.ModelWriter;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Parameters;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * Does, while a pre-started worker waits for its job, the one-time work every job would otherwise pay for: module
 * discovery, parameter binding for every module, the protocol codec and an atomic save (YAML, file moves, random
 * ids). Nothing here is required; a failure only means that work happens later.
 */
final class Warmup {
    private Warmup() {
    }

    static void run() {
        try {
            ModuleRegistry modules = ModuleRegistry.global();
            for (ModuleType<?, ?> module : modules.all()) {
                try {
                    Parameters.bind(module.parametersType(), JsonNodeFactory.instance.objectNode(),
                            module.descriptor().name());
                } catch (RuntimeException | LinkageError e) {
                    // a module with required parameters: its binding is warm all the same
                }
            }
            String event = WorkerEvents.write(new WorkerEvent.Failed(JobError.of(JobError.Kind.EXCEPTION, "warm-up"),
                    Instant.now()));
            WorkerEvents.parse(event);
            JobSpec.parse(new JobSpec("warm-up", "warm-up", null, null, null).toJson(), "warm-up");
            saveAndDelete();
        } catch (ProtocolException | IOException | RuntimeException | LinkageError e) {
            // only an optimisation
        }
    }

    private static void saveAndDelete() throws IOException {
        Path dir = Files.createTempDirectory("kiln-warmup-");
        try {
            ModelFormat.save(new Nothing(), dir.resolve("model"), "warm-up");
        } finally {
            ModelFormat.deleteRecursively(dir);
        }
    }

    /** A model with no artifacts, saved once to warm the save path up. */
    private static final class Nothing implements Model {
        @Override
        public ModuleDescriptor module() {
            return new ModuleDescriptor("warm-up", "warm-up", "0", "warm-up", Nothing.class.getName());
        }

        @Override
        public void save(ModelWriter writer) {
        }
    }
}
