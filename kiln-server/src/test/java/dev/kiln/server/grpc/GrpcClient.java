package dev.kiln.server.grpc;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.kiln.config.KilnConfig;
import dev.kiln.module.ModuleRegistry;
import io.grpc.CallOptions;
import io.grpc.ClientInterceptors;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.MetadataUtils;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A grpc-java client of a running server, with messages built from the same schema by field name. */
final class GrpcClient implements AutoCloseable {
    final KilnSchema schema;
    private final ManagedChannel channel;
    private final CallOptions options;
    private final String token;

    GrpcClient(KilnConfig config, int port, String token) {
        this(KilnSchema.build(ServiceNames.from(config), ModuleRegistry.global()), port, token);
    }

    GrpcClient(KilnSchema schema, int port, String token) {
        this.schema = schema;
        this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port)
                .usePlaintext()
                .maxInboundMessageSize(64 * 1024 * 1024)
                .build();
        this.options = CallOptions.DEFAULT.withDeadlineAfter(60, TimeUnit.SECONDS);
        this.token = token;
    }

    ManagedChannel channel() {
        return channel;
    }

    MethodDescriptor method(String service, String name) {
        return schema.service(service).findMethodByName(name);
    }

    /** Calls a unary method with the {@code mm-model-id} and authorization metadata given, if any. */
    DynamicMessage call(String service, String name, Message request, String modelId) {
        Metadata headers = new Metadata();
        if (modelId != null) {
            headers.put(Metadata.Key.of("mm-model-id", Metadata.ASCII_STRING_MARSHALLER), modelId);
        }
        if (token != null) {
            headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        }
        return ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                DynamicService.method(method(service, name)),
                options,
                toDynamic(request));
    }

    DynamicMessage call(String service, String name, Message request) {
        return call(service, name, request, null);
    }

    /** Calls a unary method with these metadata entries (ASCII values) and the authorization, if any. */
    DynamicMessage callWith(String service, String name, Message request, java.util.Map<String, String> metadata) {
        Metadata headers = new Metadata();
        metadata.forEach((k, v) -> headers.put(Metadata.Key.of(k, Metadata.ASCII_STRING_MARSHALLER), v));
        if (token != null) {
            headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        }
        return ClientCalls.blockingUnaryCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                DynamicService.method(method(service, name)),
                options,
                toDynamic(request));
    }

    Iterator<DynamicMessage> stream(String service, String name, Message request) {
        Metadata headers = new Metadata();
        if (token != null) {
            headers.put(BearerTokenInterceptor.AUTHORIZATION, "Bearer " + token);
        }
        return ClientCalls.blockingServerStreamingCall(
                ClientInterceptors.intercept(channel, MetadataUtils.newAttachHeadersInterceptor(headers)),
                DynamicService.method(method(service, name)),
                options,
                toDynamic(request));
    }

    private static DynamicMessage toDynamic(Message m) {
        return m instanceof DynamicMessage d ? d : DynamicMessage.newBuilder(m).build();
    }

    /** A message builder by full name. */
    DynamicMessage.Builder message(String fullName) {
        return DynamicMessage.newBuilder(schema.message(fullName));
    }

    /** Sets {@code field} (a name) on {@code b}; lists become repeated values. */
    static DynamicMessage.Builder set(DynamicMessage.Builder b, String field, Object value) {
        Descriptor d = b.getDescriptorForType();
        FieldDescriptor f = d.findFieldByName(field);
        if (f == null) {
            throw new IllegalArgumentException("No field " + field + " in " + d.getFullName());
        }
        if (value instanceof List<?> list) {
            list.forEach(v -> b.addRepeatedField(f, v));
        } else {
            b.setField(f, value);
        }
        return b;
    }

    static Object get(Message m, String field) {
        return m.getField(m.getDescriptorForType().findFieldByName(field));
    }

    static StatusRuntimeException failure(Runnable call) {
        try {
            call.run();
        } catch (StatusRuntimeException e) {
            return e;
        }
        throw new AssertionError("the call succeeded");
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow();
        channel.awaitTermination(10, TimeUnit.SECONDS);
    }
}
