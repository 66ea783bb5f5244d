package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DynamicMessage;
import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Samples;
import dev.kiln.bench.modules.InstantModule;
import dev.kiln.config.KilnConfig;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.grpc.KilnSchema;
import dev.kiln.server.grpc.ServiceNames;
import dev.kiln.server.http.TrainRoutes;
import io.grpc.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The served spam model over both transports of one server, each measured with {@value #CLIENTS} clients in a
 * {@link ClosedLoop} on loopback in this JVM: text classifications over HTTP ({@code POST
 * /api/v1/task/text-classification}, one keep-alive connection per client) and over gRPC
 * ({@code TextClassificationTaskPredict}, one channel), {@code GET /health} as HTTP's floor, and caikit's training
 * status over both ({@code GET /management/trainings?training_id=} and {@code GetTrainingStatus}).
 */
final class ServingTransports {
    static final String HTTP = "serve_http_text_classification";
    static final String GRPC = "serve_grpc_text_classification";
    static final String STATUS = "serve_training_status";
    static final int CLIENTS = 8;
    private static final String PREDICT = "/api/v1/task/text-classification";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BenchRun run;
    private final List<String> texts;
    private final ClosedLoop loop;

    ServingTransports(BenchRun run, List<String> texts) {
        this.run = run;
        this.texts = texts;
        this.loop = new ClosedLoop(CLIENTS, run.quick() ? 500 : 3_000, run.quick() ? 1_000 : 10_000);
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
        try (GrpcLoopbackClient grpc = new GrpcLoopbackClient(
                server.grpcPort(), KilnSchema.build(ServiceNames.from(config), ModuleRegistry.global()))) {
            int port = server.port();
            ClosedLoop.Result httpPredict = loop.run(n -> httpPredictions(port));
            ClosedLoop.Result health = loop.run(n -> httpGets(port, "/health"));
            ClosedLoop.Result grpcPredict = loop.run(n -> grpcPredictions(grpc));
            String trainingId = train(port);
            ClosedLoop.Result httpStatus =
                    loop.run(n -> httpGets(port, "/management/trainings?training_id=" + trainingId));
            DynamicMessage statusRequest = grpc.statusRequest(trainingId);
            ClosedLoop.Result grpcStatus = loop.run(n -> i -> grpc.status(statusRequest));

            Map<String, Object> http = BenchOutput.line(HTTP);
            http.put("connections", CLIENTS);
            http.put("seconds", loop.measureSeconds());
            http.put("requests", httpPredict.samples().size());
            put(http, "", httpPredict);
            put(http, "health_", health);
            http.put("ratio_to_health", Samples.round(httpPredict.opsPerSecond() / health.opsPerSecond()));
            http.put("ratio_to_in_process", Samples.round(httpPredict.opsPerSecond() / inProcessOpsPerSecond));
            http.put("load_average", ServingScenario.loadAverage());
            run.emit(http);

            Map<String, Object> g = BenchOutput.line(GRPC);
            g.put("clients", CLIENTS);
            g.put("channels", 1);
            g.put("requests", grpcPredict.samples().size());
            put(g, "", grpcPredict);
            g.put("ratio_to_http", Samples.round(grpcPredict.opsPerSecond() / httpPredict.opsPerSecond()));
            g.put("ratio_to_in_process", Samples.round(grpcPredict.opsPerSecond() / inProcessOpsPerSecond));
            g.put("load_average", ServingScenario.loadAverage());
            run.emit(g);

            Map<String, Object> status = BenchOutput.line(STATUS);
            status.put("clients", CLIENTS);
            put(status, "http_", httpStatus);
            put(status, "grpc_", grpcStatus);
            status.put("grpc_over_http", Samples.round(grpcStatus.opsPerSecond() / httpStatus.opsPerSecond()));
            status.put("load_average", ServingScenario.loadAverage());
            run.emit(status);
        } finally {
            server.stop(Duration.ZERO);
        }
    }

    private static void put(Map<String, Object> line, String prefix, ClosedLoop.Result r) {
        line.put(prefix + "ops_per_s", Math.round(r.opsPerSecond()));
        line.put(prefix + "p50_ms", r.p50Ms());
        line.put(prefix + "p99_ms", r.p99Ms());
    }

    /** A client posting the held-out e-mails in turn on one keep-alive connection; the first answer is checked. */
    private ClosedLoop.Client httpPredictions(int port) throws Exception {
        LoopbackHttpClient client = new LoopbackHttpClient("127.0.0.1", port);
        byte[][] requests = new byte[texts.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = client.post(
                    PREDICT,
                    "{\"model_id\":\"spam\",\"inputs\":" + JSON.writeValueAsString(texts.get(i))
                            + ",\"parameters\":{}}");
        }
        return new ClosedLoop.Client() {
            private boolean checked;

            @Override
            public void call(int i) throws Exception {
                byte[] answer = client.exchange(requests[i % requests.length]);
                if (!checked) {
                    JsonNode results = JSON.readTree(answer).get("results");
                    if (results == null || results.size() != 2) {
                        throw new IllegalStateException(
                                "Unexpected answer " + new String(answer, StandardCharsets.UTF_8));
                    }
                    checked = true;
                }
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    private static ClosedLoop.Client httpGets(int port, String path) throws Exception {
        LoopbackHttpClient client = new LoopbackHttpClient("127.0.0.1", port);
        byte[] request = client.get(path);
        return new ClosedLoop.Client() {
            @Override
            public void call(int i) throws Exception {
                client.exchange(request);
            }

            @Override
            public void close() throws IOException {
                client.close();
            }
        };
    }

    /** A client predicting the held-out e-mails in turn over the shared channel; the first answer is checked. */
    private ClosedLoop.Client grpcPredictions(GrpcLoopbackClient grpc) {
        Channel model = grpc.forModel("spam");
        DynamicMessage[] requests = new DynamicMessage[texts.size()];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = grpc.predictRequest(texts.get(i));
        }
        return new ClosedLoop.Client() {
            private boolean checked;

            @Override
            public void call(int i) {
                DynamicMessage answer = grpc.predict(model, requests[i % requests.length]);
                if (!checked) {
                    var results = answer.getDescriptorForType().findFieldByName("results");
                    if (results == null || answer.getRepeatedFieldCount(results) != 2) {
                        throw new IllegalStateException("Unexpected answer " + answer);
                    }
                    checked = true;
                }
            }
        };
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
