package dev.kiln.server.grpc;

import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * Refuses calls without the server's bearer token in their {@code authorization} metadata
 * ({@code Bearer <token>}), as the HTTP API refuses requests without it; health checks stay open, as {@code /health}
 * does.
 */
final class BearerTokenInterceptor implements ServerInterceptor {
    static final Metadata.Key<String> AUTHORIZATION =
            Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER);
    private static final String PREFIX = "Bearer ";
    private static final String HEALTH = "grpc.health.v1.Health";

    private final byte[] expected;

    BearerTokenInterceptor(String token) {
        this.expected = digest(token);
    }

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
            ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (HEALTH.equals(call.getMethodDescriptor().getServiceName())) {
            return next.startCall(call, headers);
        }
        String header = headers.get(AUTHORIZATION);
        String problem = null;
        if (header == null || !header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            problem = "This server needs a bearer token: send the metadata 'authorization: Bearer <token>'";
        } else if (!MessageDigest.isEqual(
                expected, digest(header.substring(PREFIX.length()).trim()))) {
            problem = "The bearer token is not valid for this server";
        }
        if (problem != null) {
            call.close(Status.UNAUTHENTICATED.withDescription(problem), new Metadata());
            return new ServerCall.Listener<>() {};
        }
        return next.startCall(call, headers);
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
