package dev.kiln.server.serving;

import dev.kiln.serving.ModelServing;
import dev.kiln.time.Cancellable;
import dev.kiln.time.TrainerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the served models with {@code runtime.local_models_dir} every {@code runtime.lazy_load_poll_period_seconds}
 * while {@code runtime.lazy_load_local_models} is set, as caikit's model manager does.
 */
public final class LocalModelsPoll implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalModelsPoll.class);

    private final Cancellable task;

    private LocalModelsPoll(Cancellable task) {
        this.task = task;
    }

    /** Starts polling on {@code scheduler} if the settings ask for it; the returned poll does nothing otherwise. */
    public static LocalModelsPoll start(ModelServing serving, TrainerScheduler scheduler) {
        if (!serving.settings().lazyLoadLocalModels()) {
            return new LocalModelsPoll(() -> {});
        }
        return new LocalModelsPoll(scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        serving.syncLocalModels();
                    } catch (RuntimeException e) {
                        LOG.warn("Syncing the local models directory failed: {}", e.toString());
                    }
                },
                serving.settings().pollPeriod()));
    }

    /** Stops polling. */
    @Override
    public void close() {
        task.cancel();
    }
}
