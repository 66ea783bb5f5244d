package dev.kiln.modules.sgd;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModelWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.tribuo.Model;
import org.tribuo.Output;

/** Stores a Tribuo model inside a Kiln model directory, in Tribuo's own protobuf serialization. */
public final class TribuoArtifacts {
    /** The artifact's file name. */
    public static final String MODEL_FILE = "tribuo-model.pb";

    private TribuoArtifacts() {}

    /**
     * Writes the model into the directory being saved.
     *
     * @throws IOException if the file cannot be written
     */
    public static void save(Model<?> model, ModelWriter writer) throws IOException {
        model.serializeToFile(writer.directory().resolve(MODEL_FILE));
        writer.put("tribuo_model", MODEL_FILE);
    }

    /**
     * Reads the model from a saved directory and checks its output type.
     *
     * @throws KilnException INTERNAL naming the file if it is missing, corrupt or of the wrong kind
     */
    public static <T extends Output<T>> Model<T> load(ModelDirectory directory, Class<T> outputType) {
        Path file = directory.resolve(MODEL_FILE);
        if (!Files.isRegularFile(file)) {
            throw new KilnException(ErrorCode.INTERNAL, "Model artifact " + file + " is missing");
        }
        Model<?> model;
        try {
            model = Model.deserializeFromFile(file);
        } catch (IOException | RuntimeException e) {
            throw new KilnException(ErrorCode.INTERNAL, "Model artifact " + file + " is unreadable: " + e, e);
        }
        if (!model.validate(outputType)) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Model artifact " + file + " does not predict " + outputType.getSimpleName() + " outputs");
        }
        return model.castModel(outputType);
    }
}
