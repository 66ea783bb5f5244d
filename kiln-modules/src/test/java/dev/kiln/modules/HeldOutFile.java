package dev.kiln.modules;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.data.DataSource;
import dev.kiln.data.DataStream;
import dev.kiln.json.KilnJson;
import dev.kiln.modules.datasets.ShippedDataset;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A shipped dataset split by the test itself into a training file the module reads and a test file it never sees.
 *
 * @param trainFile the training part, with the dataset's extension (and the CSV header)
 * @param testFile the held-out part, in the same format
 */
public record HeldOutFile(Path trainFile, Path testFile) {

    /** Holds out {@code fraction} of the dataset's records, chosen with {@code seed}. */
    public static HeldOutFile split(ShippedDataset dataset, double fraction, long seed, Path dir) throws IOException {
        List<String> lines = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(dataset.open(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (!line.isBlank()) {
                    lines.add(line);
                }
            }
        }
        String header = dataset.fileName().endsWith(".csv") ? lines.remove(0) : null;
        Collections.shuffle(lines, new Random(seed));
        int held = (int) (lines.size() * fraction);
        Path train = write(dir.resolve("train-" + dataset.fileName()), header, lines.subList(held, lines.size()));
        Path test = write(dir.resolve("test-" + dataset.fileName()), header, lines.subList(0, held));
        return new HeldOutFile(train, test);
    }

    private static Path write(Path file, String header, List<String> lines) throws IOException {
        List<String> out = new ArrayList<>();
        if (header != null) {
            out.add(header);
        }
        out.addAll(lines);
        return Files.write(file, out, StandardCharsets.UTF_8);
    }

    /** The training file as a data stream of {@code type}. */
    public <T> DataStream<T> train(Class<T> type) {
        return DataStream.open(new DataSource.File(trainFile.toString()), type);
    }

    /** The training file as a stream of rows. */
    public DataStream<Map<String, Object>> trainRows() {
        return DataStream.open(new DataSource.File(trainFile.toString()), rowType());
    }

    /** The held-out records. */
    public <T> List<T> test(Class<T> type) {
        return DataStream.open(new DataSource.File(testFile.toString()), type).toList();
    }

    /** The held-out rows. */
    public List<Map<String, Object>> testRows() {
        DataStream<Map<String, Object>> rows = DataStream.open(new DataSource.File(testFile.toString()), rowType());
        return rows.toList();
    }

    private static com.fasterxml.jackson.databind.JavaType rowType() {
        return KilnJson.data().constructType(new TypeReference<Map<String, Object>>() {});
    }
}
