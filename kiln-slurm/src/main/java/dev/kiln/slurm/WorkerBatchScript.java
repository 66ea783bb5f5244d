package dev.kiln.slurm;

import dev.kiln.worker.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The batch script of a training: it replaces the shell with Kiln's worker, so scancel's SIGTERM and the SIGUSR1 that
 * {@code --signal=B:USR1@grace} sends the batch shell reach the JVM with no shell to forward them. SIGUSR1 is ignored
 * until the JVM installs its handler: Slurm may send it early (with a time limit near the grace, at once), and its
 * default action would end the worker; an ignored signal stays ignored across {@code exec}, and the JVM's handler
 * replaces that.
 */
final class WorkerBatchScript {
    private WorkerBatchScript() {}

    /** The script text for a training in {@code jobDir}. */
    static String text(SlurmTrainerSettings settings, String trainingId, Path jobDir) {
        List<String> command = new ArrayList<>();
        command.add(settings.java());
        command.addAll(settings.jvmOptions());
        command.add("-cp");
        command.add(settings.classpath());
        command.add(WorkerMain.class.getName());
        command.add("--job-dir");
        command.add(jobDir.toString());
        StringBuilder b = new StringBuilder("#!/bin/sh\n");
        b.append("# Kiln training ")
                .append(trainingId.replaceAll("\\p{Cntrl}", "?"))
                .append(": runs the worker on the job spec in this directory.\n");
        b.append("trap '' USR1\n");
        b.append("exec");
        for (String word : command) {
            b.append(' ').append(quote(word));
        }
        return b.append('\n').toString();
    }

    /** A word quoted for the POSIX shell. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
