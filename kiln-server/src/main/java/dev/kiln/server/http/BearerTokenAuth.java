package dev.kiln.server.http;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.server.dashboard.Dashboard;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The optional bearer token: when set, every route but {@code /health} and the dashboard's public files (its page,
 * scripts and styles, which hold no data) needs {@code Authorization: Bearer <token>} (or, for browsers'
 * EventSource, which cannot send headers, the {@code access_token} query parameter). Tokens are compared as SHA-256
 * digests in constant time.
 */
final class BearerTokenAuth {
    private static final String OPEN_PATH = "/health";
    private static final String PREFIX = "bearer ";

    private final byte[] expected;

    /** A check for {@code token}; none when it is null. */
    BearerTokenAuth(String token) {
        this.expected = token == null ? null : digest(token);
    }

    /**
     * Lets the request through or refuses it.
     *
     * @throws KilnException UNAUTHENTICATED if the token is missing or wrong
     */
    void check(Context ctx) {
        if (expected == null || OPEN_PATH.equals(ctx.path()) || Dashboard.isPublic(ctx.path())) {
            return;
        }
        String given = given(ctx);
        if (given == null) {
            throw new KilnException(
                    ErrorCode.UNAUTHENTICATED,
                    "This server needs a bearer token: send" + " 'Authorization: Bearer <token>'");
        }
        if (!MessageDigest.isEqual(expected, digest(given))) {
            throw new KilnException(ErrorCode.UNAUTHENTICATED, "The bearer token is not valid for this server");
        }
    }

    private static String given(Context ctx) {
        String header = ctx.header("Authorization");
        if (header != null && header.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            return header.substring(PREFIX.length()).trim();
        }
        return ctx.queryParam("access_token");
    }

    private static byte[] digest(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
