package dev.kiln.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a server-sent event stream straight to the response, flushing after each event.
 *
 * <p>Hand-written rather than Javalin's {@code SseClient}: the event handlers stream from a blocking loop that must
 * learn at once that the client left (to let go of its subscription) and end the response itself when the server
 * shuts down. {@code SseClient} swallows write failures into a {@code terminated()} flag the loop would have to poll,
 * re-serialises data it is given as objects while the events here are already JSON bytes, and does not set the
 * event-stream headers itself (its {@code app.sse} route does, but that route hands the stream to a callback rather
 * than the handler's own thread). The format needed here is two line shapes, which this class writes.
 */
final class SseWriter {
    private final OutputStream out;

    private SseWriter(OutputStream out) {
        this.out = out;
    }

    /** Starts the stream: status 200 and the event-stream headers. */
    static SseWriter start(Context ctx) throws IOException {
        ctx.status(200);
        ctx.res().setContentType("text/event-stream");
        ctx.res().setCharacterEncoding("utf-8");
        ctx.res().setHeader("Cache-Control", "no-cache");
        ctx.res().setHeader("X-Accel-Buffering", "no");
        SseWriter w = new SseWriter(ctx.res().getOutputStream());
        w.comment("kiln");
        return w;
    }

    /** One event with a JSON body on one data line. */
    void event(String name, byte[] json) throws IOException {
        out.write(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.write(json);
        out.write("\n\n".getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** Ends the stream: the response completes before the handler returns. */
    void finish() throws IOException {
        out.close();
    }

    /** A comment line: keeps the connection alive and shows whether the client is still there. */
    void comment(String text) throws IOException {
        out.write((": " + text + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
