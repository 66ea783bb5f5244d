package dev.kiln.server.metrics;

import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts what happens to trainings (submissions, and how long finished trainings ran) and writes it, with the
 * journal's counts by state, as Prometheus text.
 */
public final class ServerMetrics implements JobListener {
    /** Upper bounds of the training-duration histogram, in seconds: a tenth of a second to a day. */
    private static final double[] DURATION_BOUNDS = {
        0.1, 0.5, 1, 5, 15, 30, 60, 300, 900, 1800, 3600, 7200, 14_400, 28_800, 86_400
    };

    private final ConcurrentHashMap<String, LongAdder> submitted = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, Histogram> durations = new ConcurrentHashMap<>();

    @Override
    public void onEvent(JobEvent event) {
        String module = event.future().module().name();
        if (event.kind() == JobEvent.Kind.SUBMITTED) {
            submitted.computeIfAbsent(module, m -> new LongAdder()).increment();
        } else if (event.kind() == JobEvent.Kind.FINISHED) {
            JobInfo info = event.info();
            if (info.started() != null && info.completed() != null) {
                double seconds =
                        Duration.between(info.started(), info.completed()).toNanos() / 1e9;
                String labels = PrometheusText.label("module", module) + ","
                        + PrometheusText.label("state", info.status().name());
                durations
                        .computeIfAbsent(labels, l -> new Histogram(DURATION_BOUNDS))
                        .observe(seconds);
            }
        }
    }

    /** The content type of {@link #scrape}'s text. */
    public static String contentType() {
        return PrometheusText.CONTENT_TYPE;
    }

    /** Every metric as Prometheus text, with {@code counts} the trainings by state. */
    public String scrape(Map<JobStatus, Long> counts) {
        PrometheusText out = new PrometheusText();
        out.family("kiln_trainings", "gauge", "Trainings the server holds, by state.");
        for (JobStatus s : JobStatus.values()) {
            out.sample("kiln_trainings", PrometheusText.label("state", s.name()), counts.getOrDefault(s, 0L));
        }
        out.family("kiln_training_queue_length", "gauge", "Trainings waiting for a slot (QUEUED).");
        out.sample("kiln_training_queue_length", "", counts.getOrDefault(JobStatus.QUEUED, 0L));
        out.family(
                "kiln_trainings_submitted_total",
                "counter",
                "Trainings submitted since the server started, by module.");
        submitted.forEach((module, n) ->
                out.sample("kiln_trainings_submitted_total", PrometheusText.label("module", module), n.sum()));
        out.family(
                "kiln_training_duration_seconds",
                "histogram",
                "How long finished trainings ran, from start to end, by module and final state.");
        durations.forEach((labels, h) -> h.write(out, "kiln_training_duration_seconds", labels));
        return out.toString();
    }
}
