package dev.kiln.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.RunnableModel;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;

/** The model {@link SampleModule} trains: it remembers its batch size and how many records it saw. */
public final class SampleModel implements RunnableModel<Integer, Integer> {
    static final String ARTIFACT = "weights.json";
    private final int batchSize;
    private final int recordsSeen;

    public SampleModel(int batchSize, int recordsSeen) {
        this.batchSize = batchSize;
        this.recordsSeen = recordsSeen;
    }

    public int batchSize() {
        return batchSize;
    }

    public int recordsSeen() {
        return recordsSeen;
    }

    @Override
    public ModuleDescriptor module() {
        return ModuleDescriptor.of(SampleModule.class);
    }

    @Override
    public void save(ModelWriter writer) throws IOException {
        writer.put("batch_size", batchSize);
        KilnJson.strict()
                .writeValue(
                        writer.directory().resolve(ARTIFACT).toFile(),
                        Map.of("batch_size", batchSize, "records_seen", recordsSeen));
    }

    static SampleModel load(ModelDirectory dir) throws IOException {
        if (!Files.isRegularFile(dir.resolve(ARTIFACT))) {
            throw new IOException("artifact " + ARTIFACT + " is missing from " + dir.path());
        }
        JsonNode w = KilnJson.strict().readTree(dir.resolve(ARTIFACT).toFile());
        return new SampleModel(
                w.get("batch_size").asInt(), w.get("records_seen").asInt());
    }

    @Override
    public Class<Integer> inputType() {
        return Integer.class;
    }

    @Override
    public Integer run(Integer input) {
        return input * batchSize;
    }
}
