package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The closing ratios line divides each figure by the same run's floor or by caikit's reference figure. */
class RatiosTest {
    private static Map<String, Object> line(String bench, Object... fields) {
        Map<String, Object> line = BenchOutput.line(bench);
        for (int i = 0; i < fields.length; i += 2) {
            line.put((String) fields[i], fields[i + 1]);
        }
        return line;
    }

    @Test
    void dividesEachFigureByItsFloor() {
        Map<String, Object> gone = new LinkedHashMap<>();
        gone.put("median_ms", 7.6);
        Map<String, Object> ratios = Ratios.of(List.of(
                line("a_thread_train_wait_latency", "median_ms", 0.0585, "over_floor", 1.1, "steady_over_floor", 0.9),
                line("a_thread_train_wait_throughput", "retention_duration", null, "ops_per_s", 1.0),
                line("a_thread_train_wait_throughput", "retention_duration", "1d", "ops_per_s", 36_850.0),
                line("b_subprocess_train_wait_load_latency", "start_method", "spawn", "median_ms", 100.0),
                line("b_subprocess_train_wait_load_latency", "start_method", "forkserver", "median_ms", 4.5),
                line("b_subprocess_back_to_back_latency", "median_ms", 9.0),
                line("c_get_model_future_latency", "futures_retained", 10_000, "median_ms", 0.0001),
                line("c_get_model_future_latency", "futures_retained", 1_000_000, "median_ms", 0.0005),
                line("d_cancel_latency", "mode", "thread", "to_worker_finished", Map.of("median_ms", 1.0)),
                line("d_cancel_latency", "mode", "subprocess", "to_worker_finished", gone),
                line("e_retained_job_bytes", "bytes", 450),
                line("floor_java_hello_start", "median_ms", 40.0),
                line("floor_java_kill", "median_ms", 5.0)));
        assertThat(ratios)
                .containsEntry("bench", "ratios")
                .containsEntry("thread_over_floor", 1.1)
                .containsEntry("thread_steady_over_floor", 0.9)
                .containsEntry("thread_over_caikit", 0.5)
                .containsEntry("throughput_1d_over_caikit", 10.0)
                .containsEntry("spawn_over_java_hello", 2.5)
                .containsEntry("forkserver_over_caikit_fork", 0.5)
                .containsEntry("back_to_back_over_caikit_fork", 1.0)
                .containsEntry("cancel_over_caikit", 2.0)
                .containsEntry("cancel_over_java_kill", 1.52)
                .containsEntry("lookup_1m_retained_us", 0.5)
                .containsEntry("bytes_per_retained_job", 450.0);
    }

    @Test
    void aRatioWhoseLinesDidNotRunIsNull() {
        Map<String, Object> ratios = Ratios.of(List.of(
                line("b_subprocess_train_wait_load_latency", "start_method", "spawn", "unsupported", "no jars"),
                line("floor_java_hello_start", "median_ms", 40.0)));
        assertThat(ratios)
                .containsEntry("spawn_over_java_hello", null)
                .containsEntry("thread_over_floor", null)
                .containsEntry("cancel_over_java_kill", null);
    }
}
