package dev.kiln.predict;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.function.Function;

/**
 * A batch prediction: every record of a data stream through a model, one JSON result per line of a results file,
 * with progress after each record. The file appears whole under its name or not at all.
 */
public final class JsonLinesBatch {
    private JsonLinesBatch() {}

    /** Where the results are written before they are complete; it is renamed to {@code out} at the end. */
    public static Path partialFile(Path out) {
        return out.resolveSibling(out.getFileName() + ".partial");
    }

    /**
     * Runs the batch.
     *
     * @param records the inputs, one per result
     * @param total how many records there are, or 0 when unknown
     * @param predict one record to its result
     * @param out the results file to write
     * @return {@code out}
     * @throws KilnException INVALID_ARGUMENT naming the record (counting from 1) that the model refused
     * @throws InterruptedException when the batch was cancelled
     * @throws IOException when the results cannot be written
     */
    public static Path run(
            Iterable<JsonNode> records,
            long total,
            Function<JsonNode, Object> predict,
            Path out,
            JobPredictor.Reporter reporter)
            throws IOException, InterruptedException {
        Files.createDirectories(out.getParent());
        Path partial = partialFile(out);
        ObjectWriter writer = KilnJson.data().writer();
        long done = 0;
        reporter.progress(0, total);
        try (BufferedWriter w = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
            for (JsonNode record : records) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("Batch prediction cancelled after " + done + " records");
                }
                Object result;
                try {
                    result = predict.apply(record);
                } catch (KilnException e) {
                    throw KilnException.invalidArgument("Record " + (done + 1) + ": " + e.getMessage());
                }
                w.write(writer.writeValueAsString(result));
                w.write('\n');
                done++;
                reporter.progress(done, Math.max(total, 0));
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            Files.deleteIfExists(partial);
            throw e;
        }
        Files.move(partial, out, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return out;
    }
}
