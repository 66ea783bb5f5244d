package dev.kiln.cli.grpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.server.KilnServer;
import dev.kiln.server.bench.ThroughputProbe;
import dev.kiln.server.grpc.KilnSchema;
import dev.kiln.server.grpc.ServiceNames;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import dev.kiln.serving.task.TaskSpec;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Measures the gRPC API on loopback beside HTTP in one run: training status calls per second (gRPC's GetTrainingStatus
 * and HTTP's status GET on the same training) and text classifications per second (gRPC's TextClassificationTaskPredict,
 * HTTP's {@code POST /api/v1/task/text-classification}, and the floor: the same prediction called in-process on the
 * server's model serving), each with the same client threads and the median of several runs.
 * The model is a TextClassifier trained on the 3,000 shipped e-mails.
 *
 * <pre>java -cp … dev.kiln.cli.grpc.GrpcThroughput [threads] [seconds] [runs]</pre>
 */
public final class GrpcThroughput {
    private static final String TEXT = "Win a FREE cruise!!! Click now to claim your prize";

    private GrpcThroughput() {}

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Duration duration = Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 5);
        int runs = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path dir = Files.createTempDirectory("kiln-grpc-throughput-");
        ShippedDataset.SPAM_ASSASSIN.extractTo(Files.createDirectories(dir.resolve("data")));
        String yaml = "runtime:\n  local_models_dir: " + dir.resolve("local-models") + "\n";
        KilnServer server =
                KilnServer.builder(TestServer.config(dir, yaml)).port(0).build().start();
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.grpcPort())
                .usePlaintext()
                .build();
        try {
            Http http = new Http(server.baseUri());
            String body = "{\"model_name\":\"spam\",\"parameters\":{\"training_data\":{\"file\":{\"filename\":\""
                    + ShippedDataset.SPAM_ASSASSIN.fileName() + "\"}}}}";
            String id = KilnJson.strict()
                    .readTree(http.post("/api/v1/TextClassificationTaskTextClassifierTrain", body)
                            .body())
                    .get("training_id")
                    .asText();
            server.trainings().manager().getModelFuture(id).await();
            System.out.println("trained: "
                    + http.get("/management/trainings?training_id=" + id).body());

            KilnSchema schema =
                    KilnSchema.build(ServiceNames.from(TestServer.config(dir, yaml)), ModuleRegistry.global());
            Descriptors.MethodDescriptor statusMethod =
                    schema.service(KilnSchema.TRAINING_MANAGEMENT).findMethodByName("GetTrainingStatus");
            DynamicMessage statusRequest = DynamicMessage.newBuilder(statusMethod.getInputType())
                    .setField(statusMethod.getInputType().findFieldByName("training_id"), id)
                    .build();
            Descriptors.MethodDescriptor predictMethod =
                    schema.predictService().findMethodByName("TextClassificationTaskPredict");
            DynamicMessage predictRequest = DynamicMessage.newBuilder(predictMethod.getInputType())
                    .setField(predictMethod.getInputType().findFieldByName("text"), TEXT)
                    .build();
            Metadata model = new Metadata();
            model.put(Metadata.Key.of("mm-model-id", Metadata.ASCII_STRING_MARSHALLER), "spam");
            var withModel = ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(model));
            MethodDescriptor<DynamicMessage, DynamicMessage> status = method(statusMethod);
            MethodDescriptor<DynamicMessage, DynamicMessage> predict = method(predictMethod);
            System.out.println("answer: "
                    + ClientCalls.blockingUnaryCall(withModel, predict, CallOptions.DEFAULT, predictRequest));

            report(
                    "HTTP status GETs/s",
                    threads,
                    runs,
                    () -> new ThroughputProbe()
                            .statusGets(server.baseUri(), id, threads, Duration.ofSeconds(2), duration)
                            .perSecond());
            report(
                    "gRPC GetTrainingStatus/s",
                    threads,
                    runs,
                    () -> loop(
                            threads,
                            duration,
                            () -> ClientCalls.blockingUnaryCall(channel, status, CallOptions.DEFAULT, statusRequest)));
            TaskSpec task =
                    server.serving().tasks().byName("TextClassificationTask").orElseThrow();
            report(
                    "in-process classifications/s (floor)",
                    threads,
                    runs,
                    () -> loop(
                            threads,
                            duration,
                            () -> server.serving().predict(task, "spam", JsonNodeFactory.instance.textNode(TEXT))));
            report(
                    "gRPC TextClassificationTaskPredict/s",
                    threads,
                    runs,
                    () -> loop(
                            threads,
                            duration,
                            () -> ClientCalls.blockingUnaryCall(
                                    withModel, predict, CallOptions.DEFAULT, predictRequest)));
            String classify = "{\"model_id\":\"spam\",\"inputs\":" + JsonNodeFactory.instance.textNode(TEXT) + "}";
            System.out.println("HTTP answer: "
                    + http.post("/api/v1/task/text-classification", classify).body());
            report(
                    "HTTP text-classification POSTs/s",
                    threads,
                    runs,
                    () -> new ThroughputProbe()
                            .predictions(
                                    server.baseUri(),
                                    "/api/v1/task/text-classification",
                                    classify,
                                    threads,
                                    Duration.ofSeconds(2),
                                    duration)
                            .perSecond());
        } finally {
            channel.shutdownNow();
            server.stop(Duration.ZERO);
            dev.kiln.modelformat.ModelFormat.deleteRecursively(dir);
        }
    }

    private static MethodDescriptor<DynamicMessage, DynamicMessage> method(Descriptors.MethodDescriptor m) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(
                        MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                .build();
    }

    /** Calls {@code call} from {@code threads} threads for a warm-up of 2 s, then for {@code duration}; calls/s. */
    private static double loop(int threads, Duration duration, Runnable call) throws InterruptedException {
        run(threads, Duration.ofSeconds(2), call);
        return run(threads, duration, call);
    }

    private static double run(int threads, Duration duration, Runnable call) throws InterruptedException {
        AtomicLong count = new AtomicLong();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        long end = System.nanoTime() + duration.toNanos();
        List<Thread> workers = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        call.run();
                        count.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            });
            t.start();
            workers.add(t);
        }
        for (Thread t : workers) {
            t.join();
        }
        if (failure.get() != null) {
            throw failure.get();
        }
        return count.get() / ((System.nanoTime() - start) / 1e9);
    }

    @FunctionalInterface
    private interface Rate {
        double measure() throws Exception;
    }

    private static void report(String what, int threads, int runs, Rate rate) throws Exception {
        List<Double> rates = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            double r = rate.measure();
            rates.add(r);
            System.out.printf("run %d: %s %.0f (%d threads)%n", i + 1, what, r, threads);
        }
        Collections.sort(rates);
        System.out.printf("median of %d: %s %.0f%n", runs, what, rates.get(rates.size() / 2));
    }
}
