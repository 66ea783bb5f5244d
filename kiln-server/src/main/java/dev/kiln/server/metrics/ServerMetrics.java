package dev.kiln.server.metrics;

import dev.kiln.job.Attempt;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jetty.JettyServerThreadPoolMetrics;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.ExecutorServiceMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.FileDescriptorMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import org.eclipse.jetty.util.thread.ThreadPool;

/**
 * The server's metrics in a Micrometer registry, scraped as Prometheus text: what happens to trainings (the
 * trainings by state, the queue, submissions, and how long finished trainings ran) and the JVM, process and
 * thread-pool metrics that operators expect.
 */
public final class ServerMetrics implements JobListener, AutoCloseable {
    /** The content type of {@link #scrape}'s text: Prometheus's text exposition format, version 0.0.4. */
    private static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /** Upper bounds of the training-duration histogram: a tenth of a second to a day. */
    private static final Duration[] DURATION_BOUNDS = {
        Duration.ofMillis(100),
        Duration.ofMillis(500),
        Duration.ofSeconds(1),
        Duration.ofSeconds(5),
        Duration.ofSeconds(15),
        Duration.ofSeconds(30),
        Duration.ofMinutes(1),
        Duration.ofMinutes(5),
        Duration.ofMinutes(15),
        Duration.ofMinutes(30),
        Duration.ofHours(1),
        Duration.ofHours(2),
        Duration.ofHours(4),
        Duration.ofHours(8),
        Duration.ofDays(1)
    };

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();

    /** The trainings by state as of the scrape in progress, read by the gauges. */
    private volatile Map<JobStatus, Long> counts = Map.of(); // guarded by this (written; read without it)

    /** A registry with the training meters and the JVM and process metrics bound. */
    public ServerMetrics() {
        for (JobStatus s : JobStatus.values()) {
            Gauge.builder("kiln.trainings", () -> counts.getOrDefault(s, 0L))
                    .description("Trainings the server holds, by state.")
                    .tag("state", s.name())
                    .register(registry);
        }
        Gauge.builder("kiln.training.queue.length", () -> counts.getOrDefault(JobStatus.QUEUED, 0L))
                .description("Trainings waiting for a slot (QUEUED).")
                .register(registry);
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        new FileDescriptorMetrics().bindTo(registry);
    }

    @Override
    public void onEvent(JobEvent event) {
        String module = event.future().module().name();
        if (event.kind() == JobEvent.Kind.SUBMITTED) {
            Counter.builder("kiln.trainings.submitted")
                    .description("Trainings submitted since the server started, by module.")
                    .tag("module", module)
                    .register(registry)
                    .increment();
        } else if (event.kind() == JobEvent.Kind.RETRYING) {
            Attempt failed = event.info().currentAttempt();
            String reason = failed == null || failed.error() == null
                    ? "unknown"
                    : failed.error().kind().name().toLowerCase(Locale.ROOT);
            Counter.builder("kiln.training.retries")
                    .description("Attempts of trainings that failed and were retried, by the kind of failure.")
                    .tag("reason", reason)
                    .register(registry)
                    .increment();
        } else if (event.kind() == JobEvent.Kind.FINISHED) {
            JobInfo info = event.info();
            if (info.started() != null && info.completed() != null) {
                Timer.builder("kiln.training.duration")
                        .description("How long finished trainings ran, from start to end, by module and final state.")
                        .tags(Tags.of("module", module, "state", info.status().name()))
                        .serviceLevelObjectives(DURATION_BOUNDS)
                        .register(registry)
                        .record(Duration.between(info.started(), info.completed()));
            }
        }
    }

    /** Adds the metrics of the HTTP server's thread pool ({@code jetty_threads_*}). */
    public void monitorHttpThreads(ThreadPool pool) {
        new JettyServerThreadPoolMetrics(pool, Tags.empty()).bindTo(registry);
    }

    /**
     * Adds the metrics of one of the server's executors ({@code executor_*}, tagged {@code name}) and returns the
     * executor to use in its place, which times its tasks.
     */
    public ScheduledExecutorService monitor(ScheduledExecutorService executor, String name) {
        return ExecutorServiceMetrics.monitor(registry, executor, name);
    }

    /** The content type of {@link #scrape}'s text. */
    public static String contentType() {
        return CONTENT_TYPE;
    }

    /** Every metric as Prometheus text, with {@code counts} the trainings by state. */
    public synchronized String scrape(Map<JobStatus, Long> counts) {
        Map<JobStatus, Long> snapshot = new EnumMap<>(JobStatus.class);
        snapshot.putAll(counts);
        this.counts = snapshot;
        return registry.scrape(CONTENT_TYPE);
    }

    /** Stops listening to the garbage collector and closes the registry. */
    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
