package dev.kiln.server.predict;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.predict.JobPredictor;
import dev.kiln.predict.JsonLinesBatch;
import dev.kiln.predict.PredictionJob;
import dev.kiln.predict.child.BatchRequest;
import dev.kiln.predict.child.ChildJvmBatches;
import dev.kiln.serving.ServedModel;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's prediction jobs: each request's model is found and its inputs checked before the job is accepted
 * (so an unknown model is a 404 at once, as in caikit), then it runs on the job predictor. A batch's results go to
 * {@code <result_dir>/<prediction id>/results.jsonl}, deleted with the job when its retention ends. Batches run in
 * the predictor's threads, or each in a child JVM of its own when the settings say {@code use_subprocess: true}.
 */
public final class PredictionJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PredictionJobs.class);
    private static final String RESULTS = "results.jsonl";

    private final TaskModels models;
    private final FileSourcePolicy dataFiles;
    private final Path configuredResultDir;
    private Path resultDir; // guarded by this
    private final boolean ownsResultDir;
    private final JobPredictor predictor;
    private final ChildJvmBatches childJvms;

    /**
     * @param models the served models
     * @param dataFiles where a batch's data files may be read from
     */
    public PredictionJobs(TaskModels models, FileSourcePolicy dataFiles, PredictionSettings settings, Clock clock) {
        this.models = models;
        this.dataFiles = dataFiles;
        this.ownsResultDir = settings.resultDir() == null;
        this.configuredResultDir = settings.resultDir();
        AtomicInteger n = new AtomicInteger();
        this.predictor = new JobPredictor(
                Executors.newFixedThreadPool(settings.maxConcurrentJobs(), r -> {
                    Thread t = new Thread(r, "kiln-predict-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }),
                settings.retention(),
                clock,
                this::deleteResults);
        this.childJvms = settings.childJvm() == null ? null : new ChildJvmBatches(settings.childJvm(), clock);
    }

    /**
     * Starts one inference in caikit's request shape, {@code {"model_id", "inputs", "parameters"}}.
     *
     * @throws KilnException INVALID_ARGUMENT naming a missing or ill-typed field, NOT_FOUND naming an unknown model
     */
    public PredictionJob start(String task, JsonNode body) {
        String modelId = modelId(body);
        TaskModels.Loaded model = models.model(task, modelId);
        JsonNode inputs = body.get("inputs");
        if (inputs == null || inputs.isNull()) {
            throw KilnException.invalidArgument("inputs is required");
        }
        Object input = model.input(inputs);
        return predictor.submit(task, modelId, false, reporter -> model.run(input));
    }

    /**
     * Starts a batch: every record of {@code data_stream} through the model, one result per line.
     *
     * @throws KilnException INVALID_ARGUMENT naming a bad field or a file outside the data directory, NOT_FOUND
     *     naming an unknown model
     */
    public PredictionJob startBatch(String task, String modelId, DataSource source) {
        TaskModels.Loaded model = models.model(task, modelId);
        DataSource resolved = dataFiles.resolve(source);
        String id = JobPredictor.newId();
        Path out = resultDir().resolve(id).resolve(RESULTS);
        if (childJvms != null) {
            ServedModel served = model.served();
            BatchRequest request = new BatchRequest(
                    id,
                    served.path(),
                    served.moduleId(),
                    task,
                    resolved,
                    out,
                    dataFiles.base().orElse(null));
            return predictor.submit(id, task, modelId, true, reporter -> childJvms.run(request, reporter));
        }
        DataStream<JsonNode> records = DataStream.open(resolved, JsonNode.class, dataFiles);
        return predictor.submit(id, task, modelId, true, reporter -> {
            long total = records.stream().count();
            return JsonLinesBatch.run(records, total, record -> model.run(model.input(record)), out, reporter);
        });
    }

    private static String modelId(JsonNode body) {
        JsonNode id = body == null ? null : body.get("model_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw KilnException.invalidArgument("model_id is required and must be a non-empty string");
        }
        return id.asText();
    }

    /**
     * The prediction with this id.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public PredictionJob get(String predictionId) {
        return predictor.job(predictionId);
    }

    /** Every prediction still kept, the latest first. */
    public List<PredictionJob> list() {
        return predictor.newestFirst();
    }

    /** Where a batch's results are (or will be) written. */
    public Path resultsFile(PredictionJob job) {
        return resultDir().resolve(job.id()).resolve(RESULTS);
    }

    /** Forgets finished predictions whose retention has passed. */
    public void purgeExpired() {
        predictor.purgeExpired();
    }

    private void deleteResults(PredictionJob job) {
        if (job.batch()) {
            try {
                ModelFormat.deleteRecursively(resultDir().resolve(job.id()));
            } catch (RuntimeException e) {
                LOG.warn("Could not delete the results of prediction {}: {}", job.id(), e.toString());
            }
        }
    }

    /**
     * Where batch results go, made on first use: a server that runs no batch leaves no directory behind.
     *
     * @throws UncheckedIOException if the directory cannot be made
     */
    private synchronized Path resultDir() {
        if (resultDir == null) {
            try {
                resultDir = ownsResultDir
                        ? Files.createTempDirectory("kiln-predictions-")
                        : Files.createDirectories(configuredResultDir).toAbsolutePath();
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot create the prediction result directory", e);
            }
        }
        return resultDir;
    }

    /** Cancels what is running and deletes the result directory when it is the server's own. */
    @Override
    public void close() {
        predictor.close();
        if (childJvms != null) {
            childJvms.close();
        }
        Path made;
        synchronized (this) {
            made = resultDir;
        }
        if (ownsResultDir && made != null) {
            try {
                ModelFormat.deleteRecursively(made);
            } catch (RuntimeException e) {
                LOG.warn("Could not delete {}: {}", made, e.toString());
            }
        }
    }
}
