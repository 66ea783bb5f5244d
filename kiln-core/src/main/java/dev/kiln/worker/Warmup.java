package dev.kiln.worker;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.kiln.config.KilnYaml;
import dev.kiln.job.JobError;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingCancelledException;
import dev.kiln.process.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.DateFormatSymbols;
import java.time.Instant;
import java.util.GregorianCalendar;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;
import java.util.UUID;
import java.util.function.BooleanSupplier;

/**
 * Does ahead of the job the one-time work every job would otherwise pay for. A pre-started worker, while it waits,
 * runs module discovery, parameter binding for every module, the protocol codec and a rehearsal of a whole job (see
 * {@link Rehearsal}) a few rounds, so the job finds that code loaded and partly compiled. A worker started for its
 * job overlaps the initialisation its save will need with reading its spec and training. Whatever it writes goes to
 * the scratch directory it is given, inside Kiln's work directory, and is deleted; without one it writes nothing.
 * Nothing here is required; a failure only means that work happens later.
 */
final class Warmup {
    private static final int ROUNDS = 20;
    /**
     * Rounds that rehearse a whole job: its classes are loaded by the first, and the later ones get its code compiled.
     * Twenty instead of three took about 1 ms off each pre-started worker's job (8.5–10.8 against 9.6–13.3 ms for a
     * train→await→load, four alternated pairs) for about 0.14 s more of its start-up CPU (1.1–1.4 s against 1.0–1.2 s).
     */
    private static final int REHEARSALS = 20;

    private Warmup() {}

    /**
     * Prepares on this thread, for a worker that has time before its job; stops early once {@code jobWaiting} says a
     * job has come, since then the job is better served by starting than by more preparation.
     */
    static void run(BooleanSupplier jobWaiting, Path scratch) {
        try {
            for (int i = 0; i < ROUNDS && !jobWaiting.getAsBoolean(); i++) {
                once(jobWaiting, i < REHEARSALS ? scratch : null);
            }
        } finally {
            removeScratch(scratch);
        }
    }

    /**
     * Reads, on a daemon thread of its own, the JDK data that Jackson needs before it can build any mapper:
     * {@code ObjectMapper}'s class initialiser makes its default date format, for UTC in {@code Locale.US}. In a fresh
     * JVM the first time-zone look-up reads and parses the JDK's whole time-zone database (17–23 ms on a 2-core
     * machine, interpreted) and the first calendar for a locale reads that locale's calendar data (11–14 ms). Started
     * as the worker's first action, it runs while the main thread installs its signal handlers and the mappers' thread
     * discovers modules, so that thread finds the data read.
     */
    static void jdkDataInBackground() {
        Thread thread = new Thread(Warmup::readJdkData, "kiln-prewarm-jdk");
        thread.setDaemon(true);
        thread.start();
    }

    private static void readJdkData() {
        try {
            TimeZone utc = TimeZone.getTimeZone("UTC");
            new GregorianCalendar(utc, Locale.US);
            DateFormatSymbols.getInstance(Locale.US);
        } catch (RuntimeException | LinkageError e) {
            // only an optimisation
        }
    }

    /**
     * Prepares on a daemon thread what the training thread needs: module discovery, the strict and YAML mappers and
     * the random ids of a save. Module discovery comes first: the mappers wait for the JDK data that
     * {@link #jdkDataInBackground} reads meanwhile.
     */
    static void inBackground(Path scratch) {
        Thread thread = new Thread(
                () -> {
                    try {
                        ModuleRegistry.global();
                        KilnJson.strict();
                        KilnYaml.mapper().writeValueAsBytes(Map.of("warm-up", 1));
                        UUID.randomUUID();
                        stopPath(scratch);
                    } catch (IOException | RuntimeException | LinkageError e) {
                        // only an optimisation
                    } finally {
                        removeScratch(scratch);
                    }
                },
                "kiln-prewarm");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs once what a cancelled worker does on its way out, so a cancellation finds it linked and the worker leaves
     * within milliseconds: the cancellation exception (its message is the JVM's first string concatenation on that
     * path, which links a dozen method-handle classes), the clean-up of an interrupted save, the {@code cancelled}
     * event, and the walk over the process's descendants.
     */
    private static void stopPath(Path scratch) throws IOException {
        try {
            throw new TrainingCancelledException("warm-up");
        } catch (TrainingCancelledException expected) {
            // linked
        }
        if (scratch != null) {
            Path dir = Files.createTempDirectory(Files.createDirectories(scratch), "stop-");
            try {
                ModelFormat.cleanUpInterruptedSave(dir.resolve("model"));
            } finally {
                ModelFormat.deleteRecursively(dir);
            }
        }
        WorkerEvents.write(new WorkerEvent.Cancelled(Instant.now()));
        ProcessTree.descendants(ProcessHandle.current()); // only looked up: the training may have started some
    }

    private static void once(BooleanSupplier jobWaiting, Path scratch) {
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
            if (scratch != null) {
                Rehearsal.run(scratch);
            } else {
                JobSpec.parse(new JobSpec("warm-up", "warm-up", null, null, null).toJson(), "warm-up");
            }
            if (jobWaiting.getAsBoolean()) {
                return;
            }
            stopPath(scratch);
        } catch (ProtocolException | IOException | RuntimeException | LinkageError e) {
            // only an optimisation
        }
    }

    private static void removeScratch(Path scratch) {
        if (scratch == null) {
            return;
        }
        try {
            ModelFormat.deleteRecursively(scratch);
        } catch (RuntimeException e) {
            // the parent removes it when this worker has exited
        }
    }
}
