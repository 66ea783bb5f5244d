package dev.kiln.server.http;

import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.util.NanoTime;

/**
 * A request whose body must arrive at an average of at least {@code minDataRate} bytes per second once the grace
 * period has passed; when it does not, the next read fails with a {@link SlowRequestException}. The rate is checked
 * whenever the reader asks for more, so a client that trickles bytes is cut off however often it sends one; a client
 * that sends nothing at all is the idle timeout's to cut off.
 */
final class MinimumRateRequest extends Request.Wrapper {
    private final long minDataRate;
    private final long graceNanos;
    private final long startNanos = NanoTime.now();
    private long bytes;
    private boolean complete;
    private Content.Chunk failure;

    MinimumRateRequest(Request request, ClientLimits limits) {
        super(request);
        this.minDataRate = limits.minDataRate();
        this.graceNanos = limits.minDataRateGrace().toNanos();
    }

    @Override
    public Content.Chunk read() {
        if (failure != null) {
            return failure;
        }
        Content.Chunk chunk = super.read();
        if (chunk != null && !Content.Chunk.isFailure(chunk)) {
            bytes += chunk.remaining();
            complete = chunk.isLast();
        }
        return chunk;
    }

    @Override
    public void demand(Runnable onContent) {
        if (failure == null && tooSlow()) {
            failure = Content.Chunk.from(new SlowRequestException("The request body arrived at less than " + minDataRate
                    + " bytes per second (runtime.http.min_request_data_rate)"));
            onContent.run();
            return;
        }
        super.demand(onContent);
    }

    private boolean tooSlow() {
        if (minDataRate == 0 || complete) {
            return false;
        }
        long elapsed = NanoTime.since(startNanos);
        if (elapsed < graceNanos) {
            return false;
        }
        double needed = (double) minDataRate * elapsed / 1_000_000_000d;
        return bytes < needed;
    }
}
