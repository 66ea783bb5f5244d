package dev.kiln.worker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.predict.JsonLinesBatch;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.ServingSettings;
import dev.kiln.serving.task.TaskSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;

/**
 * A batch prediction in the worker: the saved model served as it is in the server (same loading, same task shapes),
 * every record of the data stream through it, the answers written as JSON Lines, progress after each record.
 */
final class BatchRun {
    private BatchRun() {}

    /**
     * Runs the batch.
     *
     * @return {@code results}, written whole
     * @throws KilnException naming the model, task or record at fault
     * @throws InterruptedException when the worker was told to stop
     * @throws IOException when the records cannot be read or the results written
     */
    static Path run(
            String predictionId,
            BatchSpec batch,
            Path results,
            FileSourcePolicy dataFiles,
            WorkerTrainingContext context)
            throws IOException, InterruptedException {
        ModelServing serving = new ModelServing(ServingSettings.defaults(), ModuleRegistry.global());
        String modelId = serving.addTrained(predictionId, "model", batch.modelPath(), Instant.now())
                .orElseThrow(() -> KilnException.notFound("No model is saved at " + batch.modelPath()))
                .id();
        TaskSpec task = serving.tasks().byRoute(batch.task());
        DataStream<JsonNode> records =
                DataStream.open(DataSource.fromJson(batch.dataStream()), JsonNode.class, dataFiles);
        long total = records.stream().count();
        return JsonLinesBatch.run(
                records,
                total,
                record -> serving.predict(task, modelId, record),
                results,
                (step, of) -> context.reportProgress(step, of, Map.of()));
    }
}
