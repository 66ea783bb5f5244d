package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Samples;
import dev.kiln.bench.modules.InstantModule;
import dev.kiln.config.KilnConfig;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.server.KilnServer;
import dev.kiln.server.http.TrainRoutes;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The served spam model over both transports of one server in this JVM, each load driven by {@value #CLIENTS}
 * clients in a {@link ClosedLoop}, one load after another, by one {@link LoadClientProcess} in a JVM of its own, the
 * same way for both transports: text classifications over HTTP ({@code POST /api/v1/task/text-classification}, one keep-alive
 * connection per client) and over gRPC ({@code TextClassificationTaskPredict}, one channel per client, and one
 * channel shared by all), {@code GET /health} as HTTP's floor, and caikit's training status over both
 * ({@code GET /management/trainings?training_id=} and {@code GetTrainingStatus}). Each load also reports the
 * server's and the client's CPU time per call. Except under {@code --quick}, every load first runs once unmeasured
 * (0.5 s of warm-up, 2 s of load), so that both JVMs have compiled every path before the first load is measured.
 */
final class ServingTransports {
    static final String HTTP = "serve_http_text_classification";
    static final String GRPC = "serve_grpc_text_classification";
    static final String STATUS = "serve_training_status";
    static final int CLIENTS = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchRun run;
    private final List<String> texts;
    private final long measureMs;
    private final long warmMs;

    ServingTransports(BenchRun run, List<String> texts) {
        this.run = run;
        this.texts = texts;
        this.warmMs = run.quick() ? 500 : 3_000;
        this.measureMs = run.quick() ? 1_000 : 10_000;
    }

    /** Serves the models under {@code models} over HTTP and gRPC and measures them; {@code inProcess} is the floor. */
    void measure(Path dir, Path models, double inProcessOpsPerSecond) throws Exception {
        KilnConfig config = KilnConfig.ofYaml("""
                runtime:
                  local_models_dir: %s
                  http:
                    host: 127.0.0.1
                    port: 0
                    server_shutdown_grace_period_seconds: 0
                  grpc:
                    port: 0
                  training:
                    output_dir: %s
                  journal:
                    path: %s
                """.formatted(models, dir.resolve("out"), dir.resolve("journal.db")));
        KilnServer server = KilnServer.builder(config).port(0).build().start();
        try {
            int http = server.port();
            String trainingId = train(http);
            Map<ServingLoads, LoadClientProcess.Figures> f = new LoadClientProcess(
                            dir, texts, CLIENTS, warmMs, measureMs, run.quick() ? 0 : 2_000)
                    .run(List.of(ServingLoads.values()), http, server.grpcPort(), trainingId);
            LoadClientProcess.Figures httpPredict = f.get(ServingLoads.HTTP_PREDICT);
            LoadClientProcess.Figures health = f.get(ServingLoads.HTTP_HEALTH);
            LoadClientProcess.Figures grpcPredict = f.get(ServingLoads.GRPC_PREDICT);
            LoadClientProcess.Figures grpcPredictShared = f.get(ServingLoads.GRPC_PREDICT_SHARED_CHANNEL);
            LoadClientProcess.Figures httpStatus = f.get(ServingLoads.HTTP_STATUS);
            LoadClientProcess.Figures grpcStatus = f.get(ServingLoads.GRPC_STATUS);
            LoadClientProcess.Figures grpcStatusShared = f.get(ServingLoads.GRPC_STATUS_SHARED_CHANNEL);

            Map<String, Object> h = BenchOutput.line(HTTP);
            h.put("connections", CLIENTS);
            h.put("seconds", measureMs / 1000.0);
            h.put("requests", httpPredict.requests());
            put(h, "", httpPredict);
            put(h, "health_", health);
            h.put("ratio_to_health", Samples.round(httpPredict.opsPerSecond() / health.opsPerSecond()));
            h.put("ratio_to_in_process", Samples.round(httpPredict.opsPerSecond() / inProcessOpsPerSecond));
            h.put("load_average", ServingScenario.loadAverage());
            run.emit(h);

            Map<String, Object> g = BenchOutput.line(GRPC);
            g.put("clients", CLIENTS);
            g.put("channels", CLIENTS);
            g.put("requests", grpcPredict.requests());
            put(g, "", grpcPredict);
            put(g, "shared_channel_", grpcPredictShared);
            g.put("ratio_to_http", Samples.round(grpcPredict.opsPerSecond() / httpPredict.opsPerSecond()));
            g.put("server_cpu_over_http", cpuRatio(grpcPredict, httpPredict));
            g.put("ratio_to_in_process", Samples.round(grpcPredict.opsPerSecond() / inProcessOpsPerSecond));
            g.put("load_average", ServingScenario.loadAverage());
            run.emit(g);

            Map<String, Object> status = BenchOutput.line(STATUS);
            status.put("clients", CLIENTS);
            put(status, "http_", httpStatus);
            put(status, "grpc_", grpcStatus);
            put(status, "grpc_shared_channel_", grpcStatusShared);
            status.put("grpc_over_http", Samples.round(grpcStatus.opsPerSecond() / httpStatus.opsPerSecond()));
            status.put("grpc_server_cpu_over_http", cpuRatio(grpcStatus, httpStatus));
            status.put("load_average", ServingScenario.loadAverage());
            run.emit(status);
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static void put(Map<String, Object> line, String prefix, LoadClientProcess.Figures f) {
        line.put(prefix + "ops_per_s", Math.round(f.opsPerSecond()));
        line.put(prefix + "p50_ms", f.p50Ms());
        line.put(prefix + "p99_ms", f.p99Ms());
        line.put(prefix + "server_cpu_us_per_call", f.serverCpuUsPerCall());
        line.put(prefix + "client_cpu_us_per_call", f.clientCpuUsPerCall());
    }

    private static double cpuRatio(LoadClientProcess.Figures grpc, LoadClientProcess.Figures http) {
        return Samples.round(grpc.serverCpuUsPerCall() / http.serverCpuUsPerCall());
    }

    /** Submits a training of the instant module over HTTP, for the status calls to ask about; its id. */
    private static String train(int port) throws Exception {
        try (LoopbackHttpClient client = new LoopbackHttpClient("127.0.0.1", port)) {
            byte[] answer = client.exchange(client.post(
                    TrainRoutes.path(ModuleDescriptor.of(InstantModule.class)),
                    "{\"model_name\":\"status-probe\",\"parameters\":{}}"));
            return JSON.readTree(answer).get("training_id").asText();
        }
    }
}
