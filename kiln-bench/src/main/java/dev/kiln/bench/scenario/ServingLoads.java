package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.DynamicMessage;
import dev.kiln.config.KilnConfig;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.grpc.KilnSchema;
import dev.kiln.server.grpc.ServiceNames;
import io.grpc.Channel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The serving loads a {@link LoadClientMain} drives against a server on loopback, each a {@link ClosedLoop.Clients}:
 * text classifications and caikit's training status over HTTP (one keep-alive connection per client) and over gRPC
 * (one channel, so one HTTP/2 connection, per client, or one channel shared by every client), and {@code GET /health}
 * as HTTP's floor. The first answer of each client is checked. The scenario runs them in this order.
 */
enum ServingLoads {
    HTTP_HEALTH,
    HTTP_PREDICT,
    GRPC_PREDICT,
    GRPC_PREDICT_SHARED_CHANNEL,
    HTTP_STATUS,
    GRPC_STATUS,
    GRPC_STATUS_SHARED_CHANNEL;

    static final String PREDICT_PATH = "/api/v1/task/text-classification";
    static final String MODEL = "spam";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The load's name on a command line. */
    String argument() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The load named {@code argument}. */
    static ServingLoads of(String argument) {
        return valueOf(argument.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** Whether the load calls over gRPC. */
    boolean grpc() {
        return name().startsWith("GRPC");
    }

    /**
     * The clients of this load.
     *
     * @param port the server's HTTP port, or its gRPC port for a gRPC load
     * @param texts the texts to classify, in turn
     * @param trainingId the training whose status is asked
     * @param clients how many clients will be opened, so that a shared channel is closed once
     */
    Opened open(int port, List<String> texts, String trainingId, int clients) {
        return switch (this) {
            case HTTP_PREDICT -> new Opened(n -> httpPredictions(port, texts), () -> {});
            case HTTP_HEALTH -> new Opened(n -> httpGets(port, "/health"), () -> {});
            case HTTP_STATUS ->
                new Opened(n -> httpGets(port, "/management/trainings?training_id=" + trainingId), () -> {});
            default -> grpcClients(port, texts, trainingId, clients);
        };
    }

    /** The clients to run, and what closes what they share once they are done. */
    record Opened(ClosedLoop.Clients clients, Runnable shared) {}

    private Opened grpcClients(int port, List<String> texts, String trainingId, int clients) {
        KilnSchema schema = KilnSchema.build(ServiceNames.from(KilnConfig.defaultsOnly()), ModuleRegistry.global());
        boolean shared = this == GRPC_PREDICT_SHARED_CHANNEL || this == GRPC_STATUS_SHARED_CHANNEL;
        boolean predict = this == GRPC_PREDICT || this == GRPC_PREDICT_SHARED_CHANNEL;
        List<GrpcLoopbackClient> channels = new ArrayList<>();
        for (int i = 0; i < (shared ? 1 : clients); i++) {
            channels.add(new GrpcLoopbackClient(port, schema));
        }
        ClosedLoop.Clients open = n -> {
            GrpcLoopbackClient grpc = channels.get(shared ? 0 : n);
            return predict ? grpcPredictions(grpc, texts) : grpcStatus(grpc, trainingId);
        };
        return new Opened(open, () -> channels.forEach(GrpcLoopbackClient::close));
    }

    private static ClosedLoop.Client httpPredictions(int port, List<String> texts) throws IOException {
        LoopbackHttpClient client = new LoopbackHttpClient("127.0.0.1", port);
        byte[][] requests = new byte[texts.size()][];
        for (int i = 0; i < requests.length; i++) {
            requests[i] = client.post(
                    PREDICT_PATH,
                    "{\"model_id\":\"" + MODEL + "\",\"inputs\":" + JSON.writeValueAsString(texts.get(i))
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

    private static ClosedLoop.Client httpGets(int port, String path) throws IOException {
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

    private static ClosedLoop.Client grpcPredictions(GrpcLoopbackClient grpc, List<String> texts) {
        Channel model = grpc.forModel(MODEL);
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

    private static ClosedLoop.Client grpcStatus(GrpcLoopbackClient grpc, String trainingId) {
        DynamicMessage request = grpc.statusRequest(trainingId);
        return i -> grpc.status(request);
    }
}
