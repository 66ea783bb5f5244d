package dev.kiln.server.http;

import dev.kiln.server.api.ErrorResponse;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Reads each request body without holding a thread, then hands the request on with its body already in memory.
 *
 * <p>Why: the routes read bodies with blocking servlet reads, on the server's bounded thread pool. A client that sends
 * its headers and part of its body, then stalls, would hold a pool thread until it is cut off; a few hundred of them
 * hold every thread, and {@code /health} and status reads queue behind them. Here a body is read asynchronously (Jetty
 * calls back when bytes arrive), so a stalled client holds only its connection and a few buffers, and a thread is taken
 * only once the whole body is in. Neither a larger pool (still finite) nor a limit on concurrent requests (the stalled
 * ones would hold the permits) keeps the server answering; not holding threads does. Virtual threads would too, but
 * Kiln runs on Java 17.
 *
 * <p>Every request's body must also keep up the minimum rate ({@link MinimumRateRequest}), and a connection silent
 * for the idle timeout fails the read; either way the client gets a 408 in Kiln's JSON error shape naming the setting
 * it broke, and the connection is closed.
 *
 * <p>A body larger than the limit ({@code runtime.http.max_body_bytes}) is refused here with a 413, whatever route it
 * was sent to, after reading and discarding it (up to {@link RequestBodies#drainBound(long)} bytes in all, again
 * without holding a thread). A client that writes its whole body before reading, as most do, then reads the 413
 * instead of a reset connection, and the connection stays usable. A body past that bound is answered at once and the
 * connection closed.
 */
final class BodyPrefetchHandler extends Handler.Wrapper {
    private final ClientLimits limits;
    private final long maxBodyBytes;

    BodyPrefetchHandler(ClientLimits limits, long maxBodyBytes) {
        this.limits = limits;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Handler next = getHandler();
        if (next == null) {
            return false;
        }
        Request limited = new MinimumRateRequest(request, limits);
        long declared = request.getLength();
        boolean chunked = declared < 0 && request.getHeaders().contains(HttpHeader.TRANSFER_ENCODING);
        if (declared <= 0 && !chunked) {
            return next.handle(limited, response, callback);
        }
        Prefetch prefetch = new Prefetch(next, limited, response, callback);
        if (declared > maxBodyBytes) {
            prefetch.drain(declared);
        }
        if (!prefetch.refused) {
            prefetch.read(false);
        }
        return true;
    }

    /** One body being read ahead: the chunks read so far, handed to the next handler once the body is in. */
    private final class Prefetch implements Runnable {
        private final Handler next;
        private final Request request;
        private final Response response;
        private final Callback callback;
        private final Deque<Content.Chunk> chunks = new ArrayDeque<>();
        private long bytes;
        private boolean draining;
        private boolean refused;

        Prefetch(Handler next, Request request, Response response, Callback callback) {
            this.next = next;
            this.request = request;
            this.response = response;
            this.callback = callback;
        }

        /** Called by Jetty when more of the body can be read. */
        @Override
        public void run() {
            read(true);
        }

        void read(boolean calledBack) {
            while (true) {
                Content.Chunk chunk = request.read();
                if (chunk == null) {
                    request.demand(this);
                    return;
                }
                if (Content.Chunk.isFailure(chunk)) {
                    fail(chunk.getFailure());
                    return;
                }
                bytes += chunk.remaining();
                boolean last = chunk.isLast(); // read before a release may recycle the chunk
                if (draining) {
                    chunk.release();
                } else {
                    chunks.add(chunk);
                    if (bytes > maxBodyBytes) {
                        drain(-1);
                    }
                }
                if (draining && (last || bytes > RequestBodies.drainBound(maxBodyBytes))) {
                    refuse();
                    return;
                }
                if (last) {
                    if (calledBack) {
                        request.getContext().execute(this::handOn);
                    } else {
                        handOn();
                    }
                    return;
                }
            }
        }

        /**
         * From now on the body is read only to be discarded; a body declared past the drain bound is refused at once.
         */
        void drain(long declared) {
            draining = true;
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
            if (declared > RequestBodies.drainBound(maxBodyBytes)) {
                refuse();
            }
        }

        /** The 413, written without the error handler so that a drained connection stays open for the next request. */
        private void refuse() {
            refused = true;
            ErrorResponse error = new ErrorResponse(
                    HttpStatus.PAYLOAD_TOO_LARGE_413,
                    RequestBodies.tooLarge(maxBodyBytes),
                    UUID.randomUUID().toString());
            response.setStatus(error.code());
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
            response.write(true, ByteBuffer.wrap(Json.bytes(error)), callback);
        }

        private void handOn() {
            ReplayRequest replay = new ReplayRequest(request, chunks, callback);
            try {
                if (!next.handle(replay, response, replay)) {
                    Response.writeError(replay, response, replay, HttpStatus.NOT_FOUND_404);
                }
            } catch (Throwable t) {
                Response.writeError(replay, response, replay, t);
            }
        }

        private void fail(Throwable failure) {
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
            if (failure instanceof SlowRequestException) {
                Response.writeError(request, response, callback, HttpStatus.REQUEST_TIMEOUT_408, failure.getMessage());
            } else if (failure instanceof TimeoutException) {
                Response.writeError(
                        request,
                        response,
                        callback,
                        HttpStatus.REQUEST_TIMEOUT_408,
                        "The request body stalled for longer than "
                                + limits.idleTimeout().toMillis() / 1000d
                                + " seconds (runtime.http.idle_timeout_seconds)");
            } else {
                Response.writeError(
                        request,
                        response,
                        callback,
                        HttpStatus.BAD_REQUEST_400,
                        "Could not read the request body: " + failure);
            }
        }
    }

    /** The request with the chunks read ahead served first; they are released when the request completes. */
    private static final class ReplayRequest extends Request.Wrapper implements Callback {
        private final Deque<Content.Chunk> chunks;
        private final Callback callback;

        ReplayRequest(Request request, Deque<Content.Chunk> chunks, Callback callback) {
            super(request);
            this.chunks = chunks;
            this.callback = callback;
        }

        @Override
        public Content.Chunk read() {
            Content.Chunk chunk = chunks.pollFirst();
            return chunk != null ? chunk : super.read();
        }

        @Override
        public void demand(Runnable onContent) {
            if (chunks.isEmpty()) {
                super.demand(onContent);
            } else {
                onContent.run();
            }
        }

        @Override
        public InvocationType getInvocationType() {
            return callback.getInvocationType();
        }

        @Override
        public void succeeded() {
            release();
            callback.succeeded();
        }

        @Override
        public void failed(Throwable failure) {
            release();
            callback.failed(failure);
        }

        private void release() {
            chunks.forEach(Content.Chunk::release);
            chunks.clear();
        }
    }
}
