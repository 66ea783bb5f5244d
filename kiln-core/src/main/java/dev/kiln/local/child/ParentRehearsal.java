package dev.kiln.local.child;

import dev.kiln.files.NoFollowPaths;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModelDirectory;
import dev.kiln.worker.JobSpec;
import dev.kiln.worker.ProtocolException;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trainer's own side of a job in a pre-started worker, rehearsed once when the pool starts: the spec written as
 * JSON, every event the worker can send parsed, and a {@code config.yml} shaped like a saved model's read back through the model
 * format's reader, as {@code load()} reads it. Without it the first jobs run that code cold in the trainer's JVM,
 * loading the YAML parser's classes on the caller's clock. It writes only in a private directory of its own under
 * the scratch directory it is given, and deletes it; a failure only means that work happens later.
 */
final class ParentRehearsal {
    private static final Logger LOG = LoggerFactory.getLogger(ParentRehearsal.class);
    private static final String ID = "warm-up";
    /**
     * The first round loads the classes; the later ones get the YAML parser's per-character code compiled, which
     * cuts a warm {@code config.yml} read by about a third, for about 0.1 s more of one thread's CPU than three rounds.
     */
    private static final int ROUNDS = 30;

    private ParentRehearsal() {}

    /**
     * Rehearses {@link #ROUNDS} times in a new directory under {@code scratch}, and removes that directory. Writes
     * nothing when {@code scratch} is a link or a directory others may write to.
     *
     * @return whether every round ran
     */
    static boolean run(Path scratch) {
        Path dir = null;
        try {
            if (Files.isSymbolicLink(scratch) || !PrivateDirectories.trusted(PrivateDirectories.create(scratch))) {
                return false; // a link or a directory others may write to: not Kiln's to write in
            }
            dir = Files.createTempDirectory(scratch, "parent-");
            for (int i = 0; i < ROUNDS; i++) {
                once(dir);
            }
            return true;
        } catch (IOException | ProtocolException | RuntimeException | LinkageError e) {
            LOG.debug("Rehearsing a job's trainer side failed; the first job will run that code cold", e);
            return false;
        } finally {
            if (dir != null) {
                NoFollowPaths.deleteTree(dir);
            }
        }
    }

    /** No parameters. */
    record Params() {}

    private static void once(Path dir) throws IOException, ProtocolException {
        Path model = dir.resolve("model");
        new JobSpec(ID, ID, Parameters.toJson(new Params()), model, dir, dir.resolve("checkpoints"), 1).toJson();
        Instant now = Instant.now();
        for (WorkerEvent event : List.of(
                new WorkerEvent.Started(0, now),
                new WorkerEvent.Progressed(new Progress(1, 2, Map.of("loss", 0.5), now)),
                new WorkerEvent.Heartbeat(now),
                new WorkerEvent.Completed(model, 1, 1, now),
                new WorkerEvent.Failed(JobError.of(JobError.Kind.EXCEPTION, ID), now),
                new WorkerEvent.Cancelled(now))) {
            WorkerEvents.parse(WorkerEvents.write(event));
        }
        Files.createDirectories(model);
        Files.writeString(
                model.resolve(ModelDirectory.CONFIG_FILE),
                String.join(
                        "\n",
                        "module_id: " + ID,
                        "module_class: " + Params.class.getName(),
                        "name: " + ID,
                        "version: \"0\"",
                        "created: " + now,
                        "saved: " + now,
                        "tracking_id: " + ID,
                        ""));
        ModelFormat.read(model);
        NoFollowPaths.deleteTree(model);
    }
}
