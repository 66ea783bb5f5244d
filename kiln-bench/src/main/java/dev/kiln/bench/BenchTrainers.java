package dev.kiln.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.Settings;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.LocalTrainerSettings;
import java.nio.file.Path;
import java.util.Optional;

/** Builds LOCAL trainers from the same configuration keys a user would write, so benchmarks measure real setups. */
public final class BenchTrainers {
    private static final String CONFIG_PATH = "model_management.trainers.bench.config";

    private BenchTrainers() {}

    /**
     * A thread-mode trainer.
     *
     * @param retention {@code retention_duration} in caikit's format, or null to keep jobs forever
     */
    public static LocalModelTrainer thread(String retention) {
        return builder(threadConfig(retention)).build();
    }

    /**
     * A builder for a thread-mode trainer, for benchmarks that inject a clock or a runner.
     *
     * @param retention {@code retention_duration} in caikit's format, or null to keep jobs forever
     */
    public static LocalModelTrainer.Builder threadBuilder(String retention) {
        return builder(threadConfig(retention));
    }

    private static ObjectNode threadConfig(String retention) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        config.put("retention_duration", retention);
        config.put("use_subprocess", false);
        return config;
    }

    /**
     * A trainer that runs each job in a child JVM.
     *
     * @param startMethod {@code spawn} or {@code forkserver}
     * @param workDir the trainer's {@code work_dir}
     * @param javaHome the trainer's {@code java_home}, or null for this JVM's
     * @throws KilnException FAILED_PRECONDITION when this build of Kiln cannot run child JVMs
     */
    public static LocalModelTrainer subprocess(String startMethod, Path workDir, String javaHome) {
        return subprocess(startMethod, workDir, javaHome, null);
    }

    /**
     * A trainer that runs each job in a child JVM, with a {@code cancel_grace_period} of its own.
     *
     * @param startMethod {@code spawn} or {@code forkserver}
     * @param workDir the trainer's {@code work_dir}
     * @param javaHome the trainer's {@code java_home}, or null for this JVM's
     * @param cancelGracePeriod the trainer's {@code cancel_grace_period}, or null for the default
     * @throws KilnException FAILED_PRECONDITION when this build of Kiln cannot run child JVMs
     */
    public static LocalModelTrainer subprocess(
            String startMethod, Path workDir, String javaHome, String cancelGracePeriod) {
        ObjectNode config = JsonNodeFactory.instance.objectNode();
        if (cancelGracePeriod != null) {
            config.put("cancel_grace_period", cancelGracePeriod);
        }
        config.put("retention_duration", "1d");
        config.put("use_subprocess", true);
        config.put("subprocess_start_method", startMethod);
        config.put("work_dir", workDir.toString());
        if (javaHome != null) {
            config.put("java_home", javaHome);
        }
        return builder(config).build();
    }

    /** Why this build cannot run jobs in child JVMs, or empty when it can. */
    public static Optional<String> subprocessUnsupported(Path workDir) {
        try {
            subprocess("spawn", workDir, null).close();
            return Optional.empty();
        } catch (KilnException e) {
            if (e.code() == ErrorCode.FAILED_PRECONDITION) {
                return Optional.of(e.getMessage());
            }
            throw e;
        }
    }

    private static LocalModelTrainer.Builder builder(ObjectNode config) {
        LocalTrainerSettings settings = LocalTrainerSettings.from(new Settings(CONFIG_PATH, config));
        return LocalModelTrainer.builder().name("bench").settings(settings);
    }
}
