package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.data.DataSource;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.predict.PredictionJob;
import dev.kiln.server.api.PredictionDetail;
import dev.kiln.server.api.PredictionJobStarted;
import dev.kiln.server.api.PredictionJobStatus;
import dev.kiln.server.api.PredictionPage;
import dev.kiln.server.predict.PredictionJobs;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * The prediction job routes: caikit's {@code /api/v1/task/{task}/job} start, status, cancel and results, in
 * caikit's exact shapes, and Kiln's {@code /management/predictions} for batches over a data stream.
 */
final class PredictionHandlers {
    static final String JSON_LINES = "application/x-ndjson";

    private final PredictionJobs jobs;
    private final RequestBodies bodies;

    PredictionHandlers(PredictionJobs jobs, RequestBodies bodies) {
        this.jobs = jobs;
        this.bodies = bodies;
    }

    /** {@code POST /api/v1/task/{task}/job}: caikit's {@code PredictionJob}. */
    void start(Context ctx) {
        requireJson(ctx);
        PredictionJob job = jobs.start(ctx.pathParam("task"), bodies.json(ctx));
        Json.send(ctx, new PredictionJobStarted(job.id()));
    }

    /** {@code GET /api/v1/task/{task}/job?prediction_id=}: caikit's {@code PredictionJobStatusResponse}. */
    void status(Context ctx) {
        PredictionJob job = jobs.get(QueryParams.required(ctx, "prediction_id"));
        JobInfo info = job.info();
        Json.send(
                ctx,
                new PredictionJobStatus(job.id(), info.status(), info.submitted(), info.completed(), reasons(info)));
    }

    /** {@code DELETE /api/v1/task/{task}/job?prediction_id=}: cancels, answering the status after the cancel. */
    void cancel(Context ctx) {
        PredictionJob job = jobs.get(QueryParams.required(ctx, "prediction_id"));
        job.cancel();
        status(ctx);
    }

    /** {@code GET /api/v1/task/{task}/job/results?prediction_id=}: the task's answer, or 404 until COMPLETED. */
    void results(Context ctx) {
        sendResult(ctx, jobs.get(QueryParams.required(ctx, "prediction_id")));
    }

    /** {@code POST /management/predictions}: starts a batch over {@code data_stream}. */
    void startBatch(Context ctx) {
        JsonNode body = bodies.json(ctx);
        if (!body.isObject()) {
            throw KilnException.invalidArgument("The request body must be a JSON object");
        }
        String task = text(body, "task");
        String modelId = text(body, "model_id");
        JsonNode stream = body.get("data_stream");
        if (stream == null || stream.isNull()) {
            throw KilnException.invalidArgument("data_stream is required");
        }
        DataSource source;
        try {
            source = DataSource.fromJson(stream);
        } catch (KilnException e) {
            throw KilnException.invalidArgument("Invalid data_stream: " + e.getMessage());
        }
        PredictionJob job = jobs.startBatch(task, modelId, source);
        Json.send(ctx, detail(job));
    }

    /** {@code GET /management/predictions}: every prediction still kept, the latest first. */
    void list(Context ctx) {
        Json.send(
                ctx,
                new PredictionPage(
                        jobs.list().stream().map(PredictionHandlers::detail).toList()));
    }

    /** {@code GET /management/predictions/{id}}. */
    void detail(Context ctx) {
        Json.send(ctx, detail(jobs.get(ctx.pathParam("id"))));
    }

    /** {@code DELETE /management/predictions/{id}}: cancels, answering the detail. */
    void cancelById(Context ctx) {
        PredictionJob job = jobs.get(ctx.pathParam("id"));
        job.cancel();
        Json.send(ctx, detail(job));
    }

    /** {@code GET /management/predictions/{id}/results}: JSON Lines for a batch, the task's answer otherwise. */
    void resultsById(Context ctx) {
        sendResult(ctx, jobs.get(ctx.pathParam("id")));
    }

    private void sendResult(Context ctx, PredictionJob job) {
        Object result = job.result();
        if (!job.batch()) {
            Json.send(ctx, result);
            return;
        }
        Path file = (Path) result;
        try {
            InputStream in = Files.newInputStream(file);
            ctx.contentType(JSON_LINES).header("Content-Length", Long.toString(Files.size(file)));
            ctx.result(in);
        } catch (NoSuchFileException e) {
            throw KilnException.notFound("Prediction result for " + job.id() + " is not found");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PredictionDetail detail(PredictionJob job) {
        JobInfo info = job.info();
        long done = info.progress() == null
                ? (info.status() == JobStatus.COMPLETED ? 1 : 0)
                : info.progress().step();
        long total = info.progress() == null
                ? (job.batch() ? 0 : 1)
                : info.progress().total();
        return new PredictionDetail(
                job.id(),
                job.task(),
                job.modelId(),
                job.batch(),
                info.status(),
                info.submitted(),
                info.started(),
                info.completed(),
                reasons(info),
                done,
                total,
                "/management/predictions/" + job.id() + "/results");
    }

    private static List<String> reasons(JobInfo info) {
        return info.errors().stream().map(e -> e.message()).toList();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual() || v.asText().isBlank()) {
            throw KilnException.invalidArgument(field + " is required and must be a non-empty string");
        }
        return v.asText();
    }

    /** caikit answers 415 to a body that is not {@code application/json}. */
    static void requireJson(Context ctx) {
        String type = ctx.header("Content-Type");
        if (type == null || !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new HttpResponseException(415, "Unsupported media type: " + type + ".");
        }
    }
}
