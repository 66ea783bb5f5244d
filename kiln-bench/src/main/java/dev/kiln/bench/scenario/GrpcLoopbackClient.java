package dev.kiln.bench.scenario;

import com.google.protobuf.Descriptors;
import com.google.protobuf.DynamicMessage;
import dev.kiln.server.grpc.KilnSchema;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.TimeUnit;

/**
 * One plaintext grpc-java channel to the server on loopback, with caikit's calls built from the server's schema as
 * dynamic messages: {@code GetTrainingStatus} and {@code TextClassificationTaskPredict}, the model named in the
 * {@code mm-model-id} metadata as caikit's client sends it. A channel is one HTTP/2 connection, on which any number of
 * threads may call at once.
 */
final class GrpcLoopbackClient implements AutoCloseable {
    private static final Metadata.Key<String> MODEL_ID =
            Metadata.Key.of("mm-model-id", Metadata.ASCII_STRING_MARSHALLER);

    private final ManagedChannel channel;
    private final MethodDescriptor<DynamicMessage, DynamicMessage> status;
    private final Descriptors.Descriptor statusRequest;
    private final MethodDescriptor<DynamicMessage, DynamicMessage> predict;
    private final Descriptors.Descriptor predictRequest;

    GrpcLoopbackClient(int port, KilnSchema schema) {
        this.channel =
                NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
        Descriptors.MethodDescriptor s =
                schema.service(KilnSchema.TRAINING_MANAGEMENT).findMethodByName("GetTrainingStatus");
        Descriptors.MethodDescriptor p = schema.predictService().findMethodByName("TextClassificationTaskPredict");
        this.status = unary(s);
        this.statusRequest = s.getInputType();
        this.predict = unary(p);
        this.predictRequest = p.getInputType();
    }

    /** caikit's {@code TrainingInfoRequest} for one training. */
    DynamicMessage statusRequest(String trainingId) {
        return DynamicMessage.newBuilder(statusRequest)
                .setField(statusRequest.findFieldByName("training_id"), trainingId)
                .build();
    }

    /** The predict request for one text. */
    DynamicMessage predictRequest(String text) {
        return DynamicMessage.newBuilder(predictRequest)
                .setField(predictRequest.findFieldByName("text"), text)
                .build();
    }

    /** A channel that names {@code modelId} in every call's metadata. */
    Channel forModel(String modelId) {
        Metadata headers = new Metadata();
        headers.put(MODEL_ID, modelId);
        return ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    /** Calls {@code GetTrainingStatus}; the answer. */
    DynamicMessage status(DynamicMessage request) {
        return ClientCalls.blockingUnaryCall(channel, status, CallOptions.DEFAULT, request);
    }

    /** Calls {@code TextClassificationTaskPredict} on a channel from {@link #forModel}; the answer. */
    DynamicMessage predict(Channel model, DynamicMessage request) {
        return ClientCalls.blockingUnaryCall(model, predict, CallOptions.DEFAULT, request);
    }

    private static MethodDescriptor<DynamicMessage, DynamicMessage> unary(Descriptors.MethodDescriptor m) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(
                        MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                .build();
    }

    @Override
    public void close() {
        channel.shutdownNow();
        try {
            channel.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
