package dev.kiln.server.grpc;

import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/** Carries the model a predict call names in its {@code mm-model-id} metadata (caikit's, from Model Mesh). */
final class ModelIdInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> MODEL_ID_KEY = Metadata.Key.of("mm-model-id", Metadata.ASCII_STRING_MARSHALLER);
    static final Context.Key<String> MODEL_ID = Context.key("mm-model-id");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        return Contexts.interceptCall(
                Context.current().withValue(MODEL_ID, headers.get(MODEL_ID_KEY)), call, headers, next);
    }
}
