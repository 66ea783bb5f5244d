package dev.kiln.server.grpc;

import dev.kiln.error.KilnException;
import io.grpc.Context;
import io.grpc.Contexts;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;

/**
 * Kiln's training fields that caikit's train request has no room for, carried as call metadata so that caikit's
 * {@code <Task><Module>TrainRequest} stays exactly caikit's: {@code kiln-priority} (a whole number, higher starts
 * first; 0 when absent) and {@code kiln-max-retries} (a whole number of at least 0; the trainer's when absent), the
 * gRPC form of the HTTP body's {@code priority} and {@code max_retries}.
 */
final class TrainMetadata implements ServerInterceptor {
    static final Metadata.Key<String> PRIORITY_KEY = Metadata.Key.of("kiln-priority", Metadata.ASCII_STRING_MARSHALLER);
    static final Metadata.Key<String> MAX_RETRIES_KEY =
            Metadata.Key.of("kiln-max-retries", Metadata.ASCII_STRING_MARSHALLER);
    private static final Context.Key<String> PRIORITY = Context.key("kiln-priority");
    private static final Context.Key<String> MAX_RETRIES = Context.key("kiln-max-retries");

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        Context context = Context.current()
                .withValue(PRIORITY, headers.get(PRIORITY_KEY))
                .withValue(MAX_RETRIES, headers.get(MAX_RETRIES_KEY));
        return Contexts.interceptCall(context, call, headers, next);
    }

    /**
     * The current call's {@code kiln-priority}, or 0 when it has none.
     *
     * @throws KilnException INVALID_ARGUMENT naming the key when it is not a whole number that fits an int
     */
    static int priority() {
        String value = PRIORITY.get();
        if (value == null) {
            return 0;
        }
        try {
            return Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw KilnException.invalidArgument("kiln-priority metadata must be a whole number from "
                    + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE + " (higher starts first); got '" + value + "'");
        }
    }

    /**
     * The current call's {@code kiln-max-retries}, or null when it has none.
     *
     * @throws KilnException INVALID_ARGUMENT naming the key when it is not a whole number of at least 0
     */
    static Integer maxRetries() {
        String value = MAX_RETRIES.get();
        if (value == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(value.trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw KilnException.invalidArgument(
                "kiln-max-retries metadata must be a whole number of at least 0 (how many times to retry); got '"
                        + value + "'");
    }
}
