package dev.kiln.bench;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The {@code ratios} line that ends a run: each figure over the same run's floor, or over caikit's reference figure
 * measured on the same kind of machine, so the standing is seen at a glance. Below 1 is better than the reference; a
 * ratio whose lines did not run is null.
 */
public final class Ratios {
    /** caikit's sequential train+await per second with retention on (Python 3.11, 2 cores). */
    static final double CAIKIT_THROUGHPUT_1D = 3_685;
    /** caikit's fork train→wait→load, in ms. */
    static final double CAIKIT_FORK_MS = 9.0;
    /** caikit's cancel in a child → process gone, in ms. */
    static final double CAIKIT_CANCEL_MS = 3.8;
    /** caikit's thread-mode train→wait median, in ms. */
    static final double CAIKIT_THREAD_MS = 0.117;

    private Ratios() {}

    /** The ratios line for these result lines. */
    public static Map<String, Object> of(List<Map<String, Object>> lines) {
        Map<String, Object> ratios = BenchOutput.line("ratios");
        Map<String, Object> latency = find(lines, "a_thread_train_wait_latency", null, null);
        ratios.put("thread_over_floor", number(latency, "over_floor"));
        ratios.put("thread_steady_over_floor", number(latency, "steady_over_floor"));
        ratios.put("thread_over_caikit", ratio(number(latency, "median_ms"), CAIKIT_THREAD_MS));
        Double throughput =
                number(find(lines, "a_thread_train_wait_throughput", "retention_duration", "1d"), "ops_per_s");
        ratios.put("throughput_1d_over_caikit", ratio(throughput, CAIKIT_THROUGHPUT_1D));
        Double hello = number(find(lines, "floor_java_hello_start", null, null), "median_ms");
        Double spawn =
                number(find(lines, "b_subprocess_train_wait_load_latency", "start_method", "spawn"), "median_ms");
        ratios.put("spawn_over_java_hello", ratio(spawn, hello));
        Double forkserver =
                number(find(lines, "b_subprocess_train_wait_load_latency", "start_method", "forkserver"), "median_ms");
        ratios.put("forkserver_over_caikit_fork", ratio(forkserver, CAIKIT_FORK_MS));
        Double backToBack = number(find(lines, "b_subprocess_back_to_back_latency", null, null), "median_ms");
        ratios.put("back_to_back_over_caikit_fork", ratio(backToBack, CAIKIT_FORK_MS));
        Map<String, Object> cancel = find(lines, "d_cancel_latency", "mode", "subprocess");
        Double gone = cancel != null && cancel.get("to_worker_finished") instanceof Map<?, ?> phase
                ? asDouble(phase.get("median_ms"))
                : null;
        ratios.put("cancel_over_caikit", ratio(gone, CAIKIT_CANCEL_MS));
        ratios.put(
                "cancel_over_java_kill", ratio(gone, number(find(lines, "floor_java_kill", null, null), "median_ms")));
        Double lookup = number(find(lines, "c_get_model_future_latency", "futures_retained", 1_000_000), "median_ms");
        ratios.put("lookup_1m_retained_us", lookup == null ? null : Samples.round(lookup * 1000));
        ratios.put("bytes_per_retained_job", number(find(lines, "e_retained_job_bytes", null, null), "bytes"));
        return ratios;
    }

    private static Map<String, Object> find(List<Map<String, Object>> lines, String bench, String key, Object value) {
        for (Map<String, Object> line : lines) {
            if (bench.equals(line.get("bench"))
                    && !line.containsKey("unsupported")
                    && !line.containsKey("error")
                    && (key == null || matches(line.get(key), value))) {
                return line;
            }
        }
        return null;
    }

    private static boolean matches(Object actual, Object expected) {
        if (actual instanceof Number a && expected instanceof Number e) {
            return a.longValue() == e.longValue();
        }
        return Objects.equals(actual, expected);
    }

    private static Double number(Map<String, Object> line, String field) {
        return line == null ? null : asDouble(line.get(field));
    }

    private static Double asDouble(Object value) {
        return value instanceof Number n ? n.doubleValue() : null;
    }

    private static Double ratio(Double value, Double floor) {
        return value == null || floor == null || floor == 0 ? null : Samples.round(value / floor);
    }
}
