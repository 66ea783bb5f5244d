package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Does ahead of the job the one-time work every job would otherwise pay for. A pre-started worker, while it waits,
 * runs module discovery, parameter binding for every module, the protocol codec and an atomic save (YAML, file moves,
 * random ids) a few rounds, so the job finds that code loaded and partly compiled. A worker started for its job
 * overlaps the initialisation its save will need with reading its spec and training. Nothing here is required; a
 * failure only means that work happens later.
 */
final class Warmup {
    private static final int ROUNDS = 20;

    private Warmup() {}

    /**
     * Prepares on this thread, for a worker that has time before its job; stops early once {@code jobWaiting} says a
     * job has come, since then the job is better served by starting than by more preparation.
     */
    static void run(BooleanSupplier jobWaiting) {
        for (int i = 0; i < ROUNDS && !jobWaiting.getAsBoolean(); i++) {
            once(jobWaiting);
        }
    }

    /**
     * Prepares on a daemon thread what the training thread needs last: module discovery, the YAML mapper and the
     * random ids of a save. The strict mapper comes first, as on the training thread, so both threads initialise
     * classes in the same order.
     */
    static void inBackground() {
        Thread thread = new Thread(
                () -> {
                    try {
                        KilnJson.strict();
                        ModuleRegistry.global();
                        KilnJson.yaml().writeValueAsBytes(Map.of("warm-up", 1));
                        UUID.randomUUID();
                    } catch (IOException | RuntimeException | LinkageError e) {
                        // only an optimisation
                    }
                },
                "kiln-prewarm");
        thread.setDaemon(true);
        thread.start();
    }

    private static void once(BooleanSupplier jobWaiting) {
        try {
            ModuleRegistry modules = ModuleRegistry.global();
            for (ModuleType<?, ?> module : modules.all()) {
                if (jobWaiting.getAsBoolean()) {
                    return;
                }
                try {
                    Parameters.bind(
                            module.parametersType(),
                            JsonNodeFactory.instance.objectNode(),
                            module.descriptor().name());
                } catch (RuntimeException | LinkageError e) {
                    // a module with required parameters: its binding is warm all the same
                }
            }
            Instant now = Instant.now();
            for (WorkerEvent event : List.of(
                    new WorkerEvent.Started(0, now),
                    new WorkerEvent.Progressed(new Progress(1, 2, Map.of("loss", 0.5), now)),
                    new WorkerEvent.Heartbeat(now),
                    new WorkerEvent.Completed(Path.of("warm-up"), 1, 1, now),
                    new WorkerEvent.Failed(JobError.of(JobError.Kind.EXCEPTION, "warm-up"), now),
                    new WorkerEvent.Cancelled(now))) {
                WorkerEvents.parse(WorkerEvents.write(event));
            }
            if (jobWaiting.getAsBoolean()) {
                return;
            }
            JobSpec.parse(new JobSpec("warm-up", "warm-up", null, null, null).toJson(), "warm-up");
            saveAndDelete();
        } catch (ProtocolException | IOException | RuntimeException | LinkageError e) {
            // only an optimisation
        }
    }

    private static void saveAndDelete() throws IOException {
        Path dir = Files.createTempDirectory("kiln-warmup-").toRealPath();
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
        public void save(ModelWriter writer) {}
    }
}
