package dev.kiln.modules.tabular;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Saves and reads a tabular model's schema beside its Tribuo artifact. */
final class TabularModelFiles {
    static final String SCHEMA_FILE = "schema.json";

    private TabularModelFiles() {}

    static void write(TabularSchema schema, ModelWriter writer) throws IOException {
        KilnJson.data()
                .writerWithDefaultPrettyPrinter()
                .writeValue(writer.directory().resolve(SCHEMA_FILE).toFile(), schema);
        writer.put("target", schema.target());
        writer.put("schema", SCHEMA_FILE);
    }

    static TabularSchema read(ModelDirectory directory) {
        Path file = directory.resolve(SCHEMA_FILE);
        if (!Files.isRegularFile(file)) {
            throw new KilnException(ErrorCode.INTERNAL, "Model artifact " + file + " is missing");
        }
        try {
            return KilnJson.data().readValue(file.toFile(), TabularSchema.class);
        } catch (IOException e) {
            throw new KilnException(
                    ErrorCode.INTERNAL, "Model artifact " + file + " is unreadable: " + e.getMessage(), e);
        }
    }
}
