package dev.kiln.server.serving;

import dev.kiln.serving.ModelServing;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Syncs the served models with {@code runtime.local_models_dir} every {@code runtime.lazy_load_poll_period_seconds}
 * while {@code runtime.lazy_load_local_models} is set, as caikit's model manager does.
 */
public final class LocalModelsPoll implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalModelsPoll.class);

    private final ScheduledExecutorService timer;

    private LocalModelsPoll(ScheduledExecutorService timer) {
        this.timer = timer;
    }

    /** Starts polling if the settings ask for it; the returned poll does nothing otherwise. */
    public static LocalModelsPoll start(ModelServing serving) {
        if (!serving.settings().lazyLoadLocalModels()) {
            return new LocalModelsPoll(null);
        }
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "kiln-local-models-poll");
            t.setDaemon(true);
            return t;
        });
        long every = serving.settings().pollPeriod().toMillis();
        // the task catches its own failures, and close() shuts the timer down
        ScheduledFuture<?> unused = timer.scheduleWithFixedDelay(
                () -> {
                    try {
                        serving.syncLocalModels();
                    } catch (RuntimeException e) {
                        LOG.warn("Syncing the local models directory failed: {}", e.toString());
                    }
                },
                every,
                every,
                TimeUnit.MILLISECONDS);
        return new LocalModelsPoll(timer);
    }

    @Override
    public void close() {
        if (timer != null) {
            timer.shutdownNow();
        }
    }
}
