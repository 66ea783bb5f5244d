package dev.kiln.server.http;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** Writes a server-sent event stream straight to the response, flushing after each event. */
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
