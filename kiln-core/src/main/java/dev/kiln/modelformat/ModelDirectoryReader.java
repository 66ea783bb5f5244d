package dev.kiln.modelformat;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.kiln.config.KilnYaml;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.module.Model;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Reads a saved model directory: its {@code config.yml}, and the model through the module that saved it. */
final class ModelDirectoryReader {
    private ModelDirectoryReader() {}

    /**
     * Loads the model saved at {@code path}, finding its module by the id in {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND for a missing path, INVALID_ARGUMENT for a missing or malformed config or an
     *     unknown module id, INTERNAL for corrupt artifacts; each names the path
     */
    /** The module a model's {@code config.yml} names: its name and id, or the id alone when it gives no name. */
    private static String savedBy(ModelDirectory dir) {
        Object name = dir.get("name");
        Object id = dir.get("module_id");
        return name == null ? "id " + id : name + " (id " + id + ")";
    }

    static Model load(Path path, ModuleRegistry registry) {
        ModelDirectory dir = read(path);
        ModuleType<?, ?> module = registry.find(dir.string("module_id"))
                .orElseThrow(() -> KilnException.invalidArgument("Model at " + path + " was saved by module "
                        + savedBy(dir) + ", which is not on the class path"));
        try {
            return module.load(dir);
        } catch (KilnException e) {
            throw e;
        } catch (Exception e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Model at " + path + " could not be loaded by module "
                            + module.descriptor().name() + ": " + e,
                    e);
        }
    }

    /** Loads with the modules on the class path. */
    static Model load(Path path) {
        return load(path, ModuleRegistry.global());
    }

    /**
     * Reads a model directory's {@code config.yml}.
     *
     * @throws KilnException NOT_FOUND or INVALID_ARGUMENT naming the path
     */
    static ModelDirectory read(Path path) {
        if (!Files.exists(path)) {
            throw KilnException.notFound("No model at " + path + ": the path does not exist");
        }
        if (!Files.isDirectory(path)) {
            throw KilnException.invalidArgument("No model at " + path + ": it is not a directory");
        }
        Path configFile = path.resolve(ModelDirectory.CONFIG_FILE);
        if (!Files.isRegularFile(configFile)) {
            throw KilnException.invalidArgument(
                    "No model at " + path + ": " + ModelDirectory.CONFIG_FILE + " is missing");
        }
        Map<String, Object> config;
        try {
            config = KilnYaml.mapper().readValue(configFile.toFile(), new TypeReference<Map<String, Object>>() {});
        } catch (IOException e) {
            throw KilnException.invalidArgument("Malformed " + configFile + ": " + e.getMessage());
        }
        if (config == null) {
            throw KilnException.invalidArgument("Malformed " + configFile + ": it is empty");
        }
        ModelDirectory dir = new ModelDirectory(path, config);
        dir.string("module_id");
        return dir;
    }
}
