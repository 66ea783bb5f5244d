package dev.kiln.predict.child;

import dev.kiln.config.Settings;
import dev.kiln.local.LocalTrainerSettings;
import dev.kiln.local.child.ChildJvmSettings;
import java.util.Optional;

/**
 * How the job predictor starts child JVMs, read from its own section with the keys and meanings of the LOCAL
 * trainer's ({@code use_subprocess}, {@code subprocess_start_method}, {@code work_dir}, {@code jvm_options},
 * {@code classpath}, {@code java_home}, {@code warm_pool_size}, {@code cancel_grace_period}, {@code log_capture_bytes},
 * {@code environment}), as caikit's LOCAL job predictor inherits its settings from the same local job base.
 */
public final class ChildJvmBatchSettings {
    private final ChildJvmSettings settings;

    private ChildJvmBatchSettings(ChildJvmSettings settings) {
        this.settings = settings;
    }

    /**
     * The settings in {@code section}, or empty when {@code use_subprocess} is off and batches run in threads.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming a bad value
     */
    public static Optional<ChildJvmBatchSettings> from(Settings section) {
        LocalTrainerSettings parsed = LocalTrainerSettings.from(section);
        return parsed.useSubprocess() ? Optional.of(new ChildJvmBatchSettings(parsed)) : Optional.empty();
    }

    ChildJvmSettings settings() {
        return settings;
    }
}
