package dev.kiln.local.child;

import dev.kiln.files.NoFollowPaths;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts worker JVMs: {@code java}, the JVM options, the class-data archive options, the class path, the worker's
 * main class in pipe mode. Children inherit this JVM's working directory, so relative paths in parameters mean the
 * same as in thread mode, and its environment plus the configured variables. Each worker warms up in a scratch
 * directory of its own, {@code .warm-up/<pid>} in the work directory, which is removed when it exits.
 */
final class WorkerStarter {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerStarter.class);

    private final ChildJvmOptions options;
    private final ClassDataArchive archive;
    private final Path scratch;

    WorkerStarter(ChildJvmOptions options, ClassDataArchive archive) {
        this.options = options;
        this.archive = archive;
        this.scratch = options.workDir().toAbsolutePath().normalize().resolve(".warm-up");
    }

    /** The directory under which each worker, and the trainer's own rehearsal, warms up in a directory of its own. */
    Path scratch() {
        return scratch;
    }

    /**
     * Starts one worker.
     *
     * @param warm whether it should prepare while it waits for a job (pre-started workers)
     * @throws IOException if the JVM cannot be started
     */
    ChildProcess start(boolean warm) throws IOException {
        ClassDataArchive.Launch launch = archive == null ? ClassDataArchive.Launch.NONE : archive.nextLaunch();
        ProcessBuilder builder = new ProcessBuilder(command(warm, launch.options()));
        builder.environment().putAll(options.environment());
        ChildProcess child;
        try {
            child = ChildProcess.start(builder, options.logCaptureBytes(), launch);
        } catch (IOException e) {
            if (archive != null) {
                archive.exited(launch, -1);
            }
            throw new IOException("Cannot start a JVM for training with " + options.java() + ": " + e.getMessage(), e);
        }
        Path own = scratch.resolve(Long.toString(child.pid()));
        child.onExit().thenRun(() -> NoFollowPaths.deleteTree(own)).exceptionally(e -> {
            LOG.warn("Removing the warm-up directory {} of a training JVM failed", own, e);
            return null;
        });
        if (archive != null && launch.dumpTo() != null) {
            child.onExit()
                    .thenAccept(p -> archive.exited(launch, p.exitValue()))
                    .exceptionally(e -> {
                        LOG.warn("Archiving the exit of a training JVM (pid {}) failed", child.pid(), e);
                        return null;
                    });
        }
        return child;
    }

    /** The command line of a worker. */
    List<String> command(boolean warm, List<String> archiveOptions) {
        List<String> command = new ArrayList<>();
        command.add(options.java());
        boolean aot = archiveOptions.stream().anyMatch(o -> o.startsWith("-XX:AOTCache"));
        for (String option : options.jvmOptions()) {
            if (!(aot && option.equals("-Xshare:auto"))) { // the AOT cache options refuse any -Xshare, even the default
                command.add(option);
            }
        }
        command.addAll(archiveOptions);
        command.add("-cp");
        command.add(String.join(File.pathSeparator, options.classpath()));
        command.add(options.mainClass());
        command.add("--pipe");
        if (warm) {
            command.add("--warm");
        }
        command.add("--heartbeat-ms");
        command.add(Long.toString(Math.max(1, options.heartbeatInterval().toMillis())));
        command.add("--scratch");
        command.add(scratch.toString());
        return command;
    }
}
