package dev.kiln.server.grpc;

import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.server.http.TrainRoutes;

/**
 * The names caikit's runtime gives its services ({@code caikit/runtime/names.py}): the domain is
 * {@code runtime.service_generation.domain}, else {@code runtime.library} without a {@code caikit_} prefix in
 * UpperCamelCase ({@code kiln} gives {@code Kiln}); the package is {@code runtime.service_generation.package}, else
 * {@code caikit.runtime.<domain>}.
 *
 * @param domain the AI domain, such as {@code Kiln}
 * @param packageName the package of the generated services and messages, such as {@code caikit.runtime.Kiln}
 */
public record ServiceNames(String domain, String packageName) {
    /** caikit's package of its runtime data model. */
    public static final String RUNTIME_DATA_MODEL = "caikit_data_model.runtime";
    /** caikit's package of its common data model. */
    public static final String COMMON_DATA_MODEL = "caikit_data_model.common";
    /** caikit's training management package. */
    public static final String TRAINING_MANAGEMENT_PACKAGE = "caikit.runtime.training";
    /** caikit's info package. */
    public static final String INFO_PACKAGE = "caikit.runtime.info";
    /** caikit's model management package. */
    public static final String MODEL_MANAGEMENT_PACKAGE = "caikit.runtime.models";
    /** Kiln's own package, for what caikit does not have. */
    public static final String KILN_PACKAGE = "kiln.runtime";

    /** Reads the names from caikit's keys. */
    public static ServiceNames from(KilnConfig config) {
        Settings runtime = config.section("runtime");
        Settings generation = config.section("runtime.service_generation");
        String library = runtime.string("library", "kiln");
        String domain = generation
                .string("domain")
                .filter(s -> !s.isBlank())
                .orElseGet(() -> upperCamel(library.replace("caikit_", "")));
        String pkg = generation.string("package").filter(s -> !s.isBlank()).orElse("caikit.runtime." + domain);
        return new ServiceNames(domain, pkg);
    }

    /** caikit's {@code snake_to_upper_camel}: each underscore-separated word capitalised, underscores dropped. */
    static String upperCamel(String snake) {
        StringBuilder out = new StringBuilder();
        for (String word : snake.split("_", -1)) {
            if (!word.isEmpty()) {
                out.append(Character.toUpperCase(word.charAt(0))).append(word.substring(1));
            }
        }
        return out.toString();
    }

    /** The inference service, such as {@code KilnService}. */
    public String predictService() {
        return domain + "Service";
    }

    /** The background prediction service, such as {@code KilnJobService}. */
    public String jobService() {
        return domain + "JobService";
    }

    /** The training service, such as {@code KilnTrainingService}. */
    public String trainingService() {
        return domain + "TrainingService";
    }

    /** A module's training RPC: the same name as its HTTP training route. */
    public static String trainRpc(ModuleDescriptor module) {
        return TrainRoutes.rpcName(module);
    }

    /** The full name of a message or service in the generated package. */
    public String qualified(String name) {
        return packageName + "." + name;
    }
}
