package dev.kiln.slurm;

import dev.kiln.worker.WorkerMain;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The batch script of a training: it replaces the shell with Kiln's worker, so scancel's SIGTERM reaches the JVM. */
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
