package dev.kiln.local;

import dev.kiln.job.Progress;
import dev.kiln.model.ModelFormat;
import dev.kiln.module.TrainingContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The training context of a job running in this JVM; lines it logs carry the id in the MDC as {@code training_id}. */
final class LocalTrainingContext implements TrainingContext, AutoCloseable {
    private final LocalTrainingJob job;
    private Path scratch;

    LocalTrainingContext(LocalTrainingJob job) {
        this.job = job;
    }

    @Override
    public String trainingId() {
        return job.id();
    }

    @Override
    public boolean isCancelled() {
        return job.isStopRequested();
    }

    @Override
    public void reportProgress(long step, long total, Map<String, Double> metrics) {
        job.progress(new Progress(step, total, metrics, job.now()));
    }

    @Override
    public Logger logger() {
        return LoggerFactory.getLogger("dev.kiln.training." + job.module().name());
    }

    @Override
    public synchronized Path scratchDir() {
        if (scratch == null) {
            try {
                scratch = Files.createTempDirectory("kiln-scratch-");
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return scratch;
    }

    @Override
    public synchronized void close() {
        ModelFormat.deleteRecursively(scratch);
        scratch = null;
    }
}
