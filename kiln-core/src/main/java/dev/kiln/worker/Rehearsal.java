package dev.kiln.worker;

import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.MDC;

/**
 * A whole job, rehearsed by a pre-started worker while it waits: a spec read from JSON, a {@link WorkerRun} with its
 * training context and checkpoint store, a claim on the checkpoints, a module that reports progress, saves and reads
 * a checkpoint and asks for its logger, the model's atomic save and every event, written and dropped. It runs in a
 * directory of its own under the worker's scratch directory and deletes it, so a real job then finds every class of
 * its path loaded and the code partly compiled.
 */
final class Rehearsal {
    private static final String ID = "warm-up";
    private static final ModuleDescriptor DESCRIPTOR =
            new ModuleDescriptor(ID, ID, "0", ID, RehearsalModule.class.getName());

    private Rehearsal() {}

    /** Rehearses one job in a new directory under {@code scratch}, and removes that directory. */
    static void run(Path scratch) throws IOException, ProtocolException {
        Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "job-");
        try {
            JobSpec spec = JobSpec.parse(
                    new JobSpec(ID, ID, null, dir.resolve("model"), dir, dir.resolve("checkpoints"), 1).toJson(), ID);
            new WorkerRun(spec, new Discard(), new RehearsalModule()).execute();
        } finally {
            MDC.remove("training_id"); // set by the rehearsal's logger on this thread; the job sets its own
            ModelFormat.deleteRecursively(dir);
        }
    }

    /** Writes each event as the pipe would and drops it. */
    private static final class Discard implements EventSink {
        private final OutputStream out = OutputStream.nullOutputStream();

        @Override
        public void send(WorkerEvent event) {
            try {
                out.write(WorkerEvents.write(event).getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** No parameters. */
    record Params() {}

    /** A module that does in miniature what a module's training does with its context. */
    private static final class RehearsalModule implements ModuleType<Params, Artifact> {
        @Override
        public Class<Params> parametersType() {
            return Params.class;
        }

        @Override
        public ModuleDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Artifact train(Params parameters, TrainingContext context) {
            context.throwIfCancelled();
            context.latestCheckpoint();
            context.reportProgress(1, 1, Map.of("loss", 0.5));
            context.saveCheckpoint(1, new byte[] {1});
            context.latestCheckpoint();
            context.logger();
            return new Artifact();
        }

        @Override
        public Artifact load(ModelDirectory directory) {
            return new Artifact();
        }
    }

    /** A model with one small artifact. */
    private static final class Artifact implements Model {
        @Override
        public ModuleDescriptor module() {
            return DESCRIPTOR;
        }

        @Override
        public void save(ModelWriter writer) throws IOException {
            Files.write(writer.directory().resolve("artifact.bin"), new byte[] {1});
        }
    }
}
