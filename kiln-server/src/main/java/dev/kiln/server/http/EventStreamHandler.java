package dev.kiln.server.http;

import dev.kiln.server.api.TrainingEvent;
import dev.kiln.server.jobs.TrainingEvents;
import dev.kiln.server.jobs.TrainingView;
import dev.kiln.server.jobs.Trainings;
import io.javalin.http.Context;
import java.io.IOException;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The event streams: one training's ({@code state} first, then each change and {@code progress}, ending at its
 * terminal state) and every training's. Each stream runs on its request thread, so a slow client slows only itself.
 */
final class EventStreamHandler {
    private static final Logger LOG = LoggerFactory.getLogger(EventStreamHandler.class);

    private final Trainings trainings;
    private final Duration heartbeat;

    EventStreamHandler(Trainings trainings, Duration heartbeat) {
        this.trainings = trainings;
        this.heartbeat = heartbeat;
    }

    /** {@code GET /management/trainings/{id}/events}. */
    void training(Context ctx) throws InterruptedException {
        String id = ctx.pathParam("id");
        try (TrainingEvents.Subscription events = trainings.subscribe(id)) {
            TrainingView now = trainings.get(id);
            try {
                SseWriter out = SseWriter.start(ctx);
                TrainingEvent first = new TrainingEvent(TrainingEvent.STATE, now.toSummary());
                out.event(first.type(), Json.bytes(first));
                if (!first.isTerminal()) {
                    stream(events, out, true);
                }
                out.finish();
            } catch (IOException e) {
                clientGone(ctx, e);
            }
        }
    }

    /** {@code GET /management/events}. */
    void all(Context ctx) throws InterruptedException {
        try (TrainingEvents.Subscription events = trainings.subscribe(null)) {
            SseWriter out = SseWriter.start(ctx);
            stream(events, out, false);
            out.finish();
        } catch (IOException e) {
            clientGone(ctx, e);
        }
    }

    private static void clientGone(Context ctx, IOException e) {
        LOG.debug("Event stream {} ended: the client went away ({})", ctx.path(), e.toString());
    }

    private void stream(TrainingEvents.Subscription events, SseWriter out, boolean endAtTerminal)
            throws IOException, InterruptedException {
        try {
            while (true) {
                TrainingEvent e = events.next(heartbeat);
                if (e == null) {
                    out.comment("keep-alive");
                    continue;
                }
                out.event(e.type(), Json.bytes(e));
                if (endAtTerminal && e.isTerminal()) {
                    return;
                }
            }
        } catch (TrainingEvents.Ended e) {
            out.comment("the server is shutting down");
        }
    }
}
