package dev.kiln.server.grpc;

import com.google.protobuf.Descriptors;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoMethodDescriptorSupplier;
import io.grpc.protobuf.ProtoServiceDescriptorSupplier;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A gRPC service over a run-time protobuf service descriptor: requests and answers are {@link DynamicMessage}s, and
 * the descriptors travel with the service so that server reflection serves them.
 */
final class DynamicService {
    /** A server-streaming handler. */
    interface Streaming {
        void call(DynamicMessage request, StreamObserver<DynamicMessage> out);
    }

    private final ServiceDescriptor descriptor;
    private final Map<String, Object> handlers = new LinkedHashMap<>();

    private DynamicService(ServiceDescriptor descriptor) {
        this.descriptor = descriptor;
    }

    static DynamicService of(ServiceDescriptor descriptor) {
        return new DynamicService(descriptor);
    }

    /** Serves a unary method: an exception becomes the status {@link GrpcErrors} maps it to. */
    DynamicService unary(String method, Function<DynamicMessage, DynamicMessage> handler) {
        handlers.put(method, handler);
        return this;
    }

    /** Serves a server-streaming method. */
    DynamicService streaming(String method, Streaming handler) {
        handlers.put(method, handler);
        return this;
    }

    @SuppressWarnings("unchecked")
    ServerServiceDefinition build() {
        io.grpc.ServiceDescriptor.Builder service = io.grpc.ServiceDescriptor.newBuilder(descriptor.getFullName())
                .setSchemaDescriptor(new Schema(descriptor, null));
        Map<Descriptors.MethodDescriptor, MethodDescriptor<DynamicMessage, DynamicMessage>> methods =
                new LinkedHashMap<>();
        for (Descriptors.MethodDescriptor m : descriptor.getMethods()) {
            if (!handlers.containsKey(m.getName())) {
                throw new IllegalStateException("No handler for " + m.getFullName());
            }
            MethodDescriptor<DynamicMessage, DynamicMessage> md = method(m);
            methods.put(m, md);
            service.addMethod(md);
        }
        ServerServiceDefinition.Builder def = ServerServiceDefinition.builder(service.build());
        methods.forEach((m, md) -> {
            Object handler = handlers.get(m.getName());
            String name = md.getFullMethodName();
            if (handler instanceof Streaming s) {
                def.addMethod(md, ServerCalls.asyncServerStreamingCall((req, out) -> {
                    try {
                        s.call(req, out);
                    } catch (RuntimeException e) {
                        out.onError(GrpcErrors.toStatus(e, name));
                    }
                }));
            } else {
                Function<DynamicMessage, DynamicMessage> f = (Function<DynamicMessage, DynamicMessage>) handler;
                def.addMethod(md, ServerCalls.asyncUnaryCall((req, out) -> {
                    DynamicMessage answer;
                    try {
                        answer = f.apply(req);
                    } catch (RuntimeException e) {
                        out.onError(GrpcErrors.toStatus(e, name));
                        return;
                    }
                    out.onNext(answer);
                    out.onCompleted();
                }));
            }
        });
        return def.build();
    }

    /** The client-side view of a method, for tests and benchmarks. */
    static MethodDescriptor<DynamicMessage, DynamicMessage> method(Descriptors.MethodDescriptor m) {
        return MethodDescriptor.<DynamicMessage, DynamicMessage>newBuilder()
                .setType(
                        m.isServerStreaming()
                                ? MethodDescriptor.MethodType.SERVER_STREAMING
                                : MethodDescriptor.MethodType.UNARY)
                .setFullMethodName(
                        MethodDescriptor.generateFullMethodName(m.getService().getFullName(), m.getName()))
                .setRequestMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getInputType())))
                .setResponseMarshaller(ProtoUtils.marshaller(DynamicMessage.getDefaultInstance(m.getOutputType())))
                .setSchemaDescriptor(new Schema(m.getService(), m.getName()))
                .build();
    }

    /** What server reflection reads: the file, service and method descriptors. */
    private record Schema(ServiceDescriptor service, String methodName)
            implements ProtoServiceDescriptorSupplier, ProtoMethodDescriptorSupplier {
        @Override
        public FileDescriptor getFileDescriptor() {
            return service.getFile();
        }

        @Override
        public ServiceDescriptor getServiceDescriptor() {
            return service;
        }

        @Override
        public Descriptors.MethodDescriptor getMethodDescriptor() {
            return service.findMethodByName(methodName);
        }
    }
}
