package dev.kiln.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.BenchTrainers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the packaged harness, {@code java -jar kiln-bench.jar --quick}, as its own process and checks that every line
 * the reference harness defines is printed with numeric figures (the figures themselves are not judged). The child-JVM
 * lines must carry figures whenever this build runs jobs in child JVMs, and otherwise say why they are unsupported.
 */
class HarnessQuickIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static List<JsonNode> lines;
    private static String stderr;
    private static int exitCode;

    @BeforeAll
    static void runHarness(@TempDir Path dir) throws Exception {
        Path jar = Path.of(System.getProperty("kiln.bench.jar", "target/kiln-bench.jar"));
        assertThat(jar).as("the shaded harness jar built by the package phase").isRegularFile();
        Path out = dir.resolve("stdout.jsonl");
        Path err = dir.resolve("stderr.txt");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(java, "-jar", jar.toString(), "--quick")
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!process.waitFor(10, TimeUnit.MINUTES)) {
            process.destroyForcibly();
            throw new AssertionError(
                    "kiln bench --quick did not finish within 10 minutes; stderr:\n" + Files.readString(err));
        }
        exitCode = process.exitValue();
        stderr = Files.readString(err);
        lines = new ArrayList<>();
        for (String line : Files.readAllLines(out, StandardCharsets.UTF_8)) {
            lines.add(JSON.readTree(line));
        }
    }

    @Test
    void exitsCleanlyWithOneJsonObjectPerLineAndNoErrors() {
        assertThat(exitCode).as("exit code; stderr:\n%s", stderr).isZero();
        assertThat(lines).isNotEmpty().allSatisfy(line -> {
            assertThat(line.isObject()).isTrue();
            assertThat(line.path("bench").isTextual()).isTrue();
            assertThat(line.has("error")).as("line %s", line).isFalse();
        });
    }

    @Test
    void startsWithTheMetaLine() {
        JsonNode meta = lines.get(0);
        assertThat(meta.path("bench").asText()).isEqualTo("meta");
        assertThat(meta.path("impl").asText()).isEqualTo("kiln-java");
        assertThat(meta.path("java").asText()).isNotBlank();
        assertThat(meta.path("cpu_count").isIntegralNumber()).isTrue();
        assertThat(meta.path("args").path("quick").asBoolean()).isTrue();
    }

    @Test
    void printsThreadLatency() {
        JsonNode line = only("a_thread_train_wait_latency");
        assertThat(line.path("mode").asText()).isEqualTo("thread");
        assertThat(line.has("retention_duration")
                        && line.get("retention_duration").isNull())
                .isTrue();
        assertThat(line.path("n").asInt()).isEqualTo(200);
        assertNumeric(line, "median_ms", "p90_ms", "p99_ms");
    }

    @Test
    void printsThreadThroughputWithAndWithoutRetention() {
        List<JsonNode> all = all("a_thread_train_wait_throughput");
        assertThat(all)
                .extracting(l -> l.get("retention_duration").isNull()
                        ? null
                        : l.get("retention_duration").asText())
                .containsExactlyInAnyOrder(null, "1d");
        for (JsonNode line : all) {
            assertThat(line.path("count").asInt()).isEqualTo(2000);
            assertThat(line.path("trials").asInt()).isEqualTo(3);
            assertNumeric(line, "ops_per_s");
        }
    }

    @Test
    void printsSubprocessTrainWaitLoadForBothStartMethods(@TempDir Path work) {
        List<JsonNode> all = all("b_subprocess_train_wait_load_latency");
        assertThat(all)
                .extracting(l -> l.path("start_method").asText())
                .containsExactlyInAnyOrder("spawn", "forkserver");
        Optional<String> unsupported = BenchTrainers.subprocessUnsupported(work);
        for (JsonNode line : all) {
            if (unsupported.isPresent()) {
                assertThat(line.path("unsupported").asText()).isEqualTo(unsupported.get());
            } else {
                assertThat(line.has("unsupported")).as("line %s", line).isFalse();
                assertNumeric(line, "n", "median_ms", "p90_ms");
            }
        }
    }

    @Test
    void printsBackToBackForkserverJobs(@TempDir Path work) {
        JsonNode line = only("b_subprocess_back_to_back_latency");
        assertThat(line.path("start_method").asText()).isEqualTo("forkserver");
        if (BenchTrainers.subprocessUnsupported(work).isEmpty()) {
            assertNumeric(line, "n", "median_ms", "p90_ms", "first_median_ms");
        }
    }

    @Test
    void endsWithTheRatiosToTheRunsFloors() {
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("bench").asText()).isEqualTo("ratios");
        assertNumeric(
                last,
                "thread_over_floor",
                "thread_steady_over_floor",
                "throughput_1d_over_caikit",
                "bytes_per_retained_job");
        assertNumeric(
                only("a_thread_train_wait_latency"),
                "floor_median_ms",
                "over_floor",
                "steady_median_ms",
                "steady_floor_median_ms",
                "steady_over_floor");
    }

    @Test
    void printsLookupLatencyForTwoRetainedCounts() {
        List<JsonNode> all = all("c_get_model_future_latency");
        assertThat(all).hasSize(2);
        assertThat(all)
                .extracting(l -> l.path("futures_retained").asInt())
                .doesNotHaveDuplicates()
                .contains(10_000);
        for (JsonNode line : all) {
            assertThat(line.path("retention_duration").asText()).isEqualTo("1d");
            assertThat(line.path("n").asInt()).isEqualTo(1000);
            assertNumeric(line, "futures_retained", "median_ms", "p99_ms", "train_wait_with_n_retained_median_ms");
        }
    }

    @Test
    void printsCancelLatencyInThreadAndSubprocessModes(@TempDir Path work) {
        List<JsonNode> all = all("d_cancel_latency");
        assertThat(all)
                .extracting(l -> l.path("mode").asText() + " "
                        + l.path("cancel_grace_period").asText())
                .containsExactly("thread ", "subprocess 0s", "subprocess 10s");
        Optional<String> unsupported = BenchTrainers.subprocessUnsupported(work);
        for (JsonNode line : all) {
            if (line.path("mode").asText().equals("subprocess")) {
                assertThat(line.path("start_method").asText()).isEqualTo("spawn");
                if (unsupported.isPresent()) {
                    assertThat(line.path("unsupported").asText()).isEqualTo(unsupported.get());
                    continue;
                }
            }
            for (String phase : List.of("cancel_call", "to_status_canceled", "to_worker_finished")) {
                assertNumeric(line.path(phase), "median_ms");
            }
        }
    }

    @Test
    void printsRetainedJobBytes() {
        JsonNode line = only("e_retained_job_bytes");
        assertThat(line.path("jobs").asInt()).isEqualTo(100_000);
        assertNumeric(line, "bytes");
    }

    @Test
    void printsTheServingFigures() {
        assertNumeric(
                only("serve_model_load"),
                "first_use_ms",
                "reload_median_ms",
                "disk_bytes",
                "estimated_bytes",
                "heap_bytes_per_model");
        assertNumeric(only("serve_in_process_text_classification"), "threads", "ops_per_s");
        JsonNode http = only("serve_http_text_classification");
        assertThat(http.path("connections").asInt()).isEqualTo(8);
        assertNumeric(
                http,
                "requests",
                "ops_per_s",
                "p50_ms",
                "p99_ms",
                "health_ops_per_s",
                "health_p50_ms",
                "health_p99_ms",
                "ratio_to_health",
                "ratio_to_in_process",
                "server_cpu_us_per_call",
                "client_cpu_us_per_call",
                "health_server_cpu_us_per_call");
        assertThat(http.path("load_average").isTextual()).isTrue();
        JsonNode grpc = only("serve_grpc_text_classification");
        assertThat(grpc.path("clients").asInt()).isEqualTo(8);
        assertThat(grpc.path("channels").asInt()).isEqualTo(8);
        assertNumeric(
                grpc,
                "requests",
                "ops_per_s",
                "p50_ms",
                "p99_ms",
                "server_cpu_us_per_call",
                "client_cpu_us_per_call",
                "shared_channel_ops_per_s",
                "shared_channel_server_cpu_us_per_call",
                "ratio_to_http",
                "server_cpu_over_http",
                "ratio_to_in_process");
        JsonNode status = only("serve_training_status");
        assertThat(status.path("clients").asInt()).isEqualTo(8);
        assertNumeric(
                status,
                "http_ops_per_s",
                "http_p50_ms",
                "http_p99_ms",
                "http_server_cpu_us_per_call",
                "grpc_ops_per_s",
                "grpc_p50_ms",
                "grpc_p99_ms",
                "grpc_server_cpu_us_per_call",
                "grpc_shared_channel_ops_per_s",
                "grpc_over_http",
                "grpc_server_cpu_over_http");
    }

    @Test
    void printsWhatCheckpointsAndAResumeAfterARestartCost() {
        JsonNode checkpoint = only("checkpoint_text_classifier");
        assertNumeric(
                checkpoint,
                "epochs",
                "train_with_checkpoints_median_ms",
                "train_without_checkpoints_median_ms",
                "cost_per_epoch_ms",
                "disk_write_median_ms",
                "checkpoint_bytes");
        assertThat(checkpoint.path("checkpoint_bytes").asLong()).isPositive();
        JsonNode resume = only("restart_resume_text_classifier");
        assertNumeric(resume, "listen_ms", "running_ms", "next_epoch_ms");
        assertThat(resume.path("next_epoch_ms").asDouble())
                .isGreaterThanOrEqualTo(resume.path("running_ms").asDouble());
    }

    @Test
    void printsTheMachineFloors() {
        assertNumeric(only("floor_supply_async_round_trip"), "median_ms", "ops_per_s");
        assertNumeric(only("floor_java_hello_start"), "median_ms");
        assertNumeric(only("floor_java_kill"), "median_ms");
    }

    private static List<JsonNode> all(String bench) {
        return lines.stream()
                .filter(l -> l.path("bench").asText().equals(bench))
                .collect(Collectors.toList());
    }

    private static JsonNode only(String bench) {
        List<JsonNode> all = all(bench);
        assertThat(all).as("lines for %s", bench).hasSize(1);
        return all.get(0);
    }

    private static void assertNumeric(JsonNode line, String... fields) {
        for (String field : fields) {
            assertThat(line.path(field).isNumber()).as("%s in %s", field, line).isTrue();
        }
    }
}
