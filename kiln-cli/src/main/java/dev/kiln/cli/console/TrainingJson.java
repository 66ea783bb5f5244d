package dev.kiln.cli.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.json.KilnJson;
import java.io.PrintWriter;
import java.time.Instant;

/** The JSON shape of a training, for {@code --json}: the same fields a server's API answers with. */
public final class TrainingJson {
    private static final ObjectMapper JSON = KilnJson.strict();

    private TrainingJson() {}

    /** A training as a JSON object. */
    public static ObjectNode of(TrainingSnapshot v, Instant now) {
        ObjectNode o = JSON.createObjectNode();
        o.put("training_id", v.trainingId());
        o.put("module", v.module());
        o.put("trainer", v.trainer());
        o.put("state", v.state().name());
        o.put("submitted", text(v.submitted()));
        o.put("started", text(v.started()));
        o.put("completed", text(v.completed()));
        o.put("duration_seconds", v.duration(now).toMillis() / 1000.0);
        o.put("save_path", v.savePath());
        o.put("priority", v.priority());
        ObjectNode metrics = o.putObject("metrics");
        Formats.ordered(v.metrics()).forEach(metrics::put);
        if (v.progress() == null) {
            o.putNull("progress");
        } else {
            o.putObject("progress")
                    .put("step", v.progress().step())
                    .put("total", v.progress().total())
                    .put("timestamp", text(v.progress().timestamp()));
        }
        o.put(
                "attempt",
                v.attempts().isEmpty()
                        ? 1
                        : v.attempts().get(v.attempts().size() - 1).number());
        ArrayNode attempts = o.putArray("attempts");
        for (Attempt a : v.attempts()) {
            ObjectNode entry = attempts.addObject()
                    .put("number", a.number())
                    .put("started", text(a.started()))
                    .put("ended", text(a.ended()))
                    .put("outcome", a.outcome().name());
            if (a.error() == null) {
                entry.putNull("error");
            } else {
                entry.putObject("error")
                        .put("kind", a.error().kind().name())
                        .put("type", a.error().type())
                        .put("message", a.error().message());
            }
        }
        ArrayNode errors = o.putArray("errors");
        for (JobError e : v.errors()) {
            errors.addObject()
                    .put("kind", e.kind().name())
                    .put("type", e.type())
                    .put("message", e.message());
        }
        return o;
    }

    /** Prints a JSON value on one line. */
    public static void print(PrintWriter out, Object value) {
        try {
            out.println(JSON.writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON output", e);
        }
    }

    /** Prints a JSON value indented, for people reading it. */
    public static void printPretty(PrintWriter out, Object value) {
        try {
            out.println(JSON.writerWithDefaultPrettyPrinter().writeValueAsString(value));
            out.flush();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Cannot write JSON output", e);
        }
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
