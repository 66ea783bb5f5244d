package dev.kiln.server.http;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.server.api.ProgressHistory;
import dev.kiln.server.api.ProgressReport;
import dev.kiln.server.api.TrainingPage;
import dev.kiln.server.jobs.TrainRequest;
import dev.kiln.server.jobs.TrainingCatalog;
import dev.kiln.server.jobs.TrainingView;
import dev.kiln.server.jobs.Trainings;
import dev.kiln.server.journal.JobQuery;
import io.javalin.http.Context;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** The training routes: caikit's train, status and cancel, and Kiln's list, detail, progress and logs. */
final class TrainingHandlers {
    static final int DEFAULT_PAGE = 50;
    static final int MAX_PAGE = 1_000;
    static final int DEFAULT_POINTS = 10_000;
    static final int MAX_POINTS = 100_000;

    private final Trainings trainings;
    private final TrainRoutes routes;
    private final RequestBodies bodies;

    TrainingHandlers(Trainings trainings, TrainRoutes routes, RequestBodies bodies) {
        this.trainings = trainings;
        this.routes = routes;
        this.bodies = bodies;
    }

    /** {@code POST /api/v1/{Task}{Module}Train}. */
    void train(Context ctx) {
        var module = routes.module(ctx.pathParam("rpc"));
        TrainRequest request = TrainRequest.fromJson(bodies.json(ctx));
        Json.send(ctx, trainings.submit(module, request));
    }

    /** {@code GET /management/trainings}: a status with {@code training_id}, else the list. */
    void statusOrList(Context ctx) {
        if (ctx.queryParamMap().containsKey("training_id")) {
            Json.send(
                    ctx, trainings.get(QueryParams.required(ctx, "training_id")).toStatus());
        } else {
            list(ctx);
        }
    }

    private void list(Context ctx) {
        int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_PAGE, 1, MAX_PAGE);
        int offset = (int) QueryParams.integer(ctx, "offset", 0, 0, Integer.MAX_VALUE);
        TrainingCatalog.Page page = trainings.list(new JobQuery(states(ctx), offset, limit));
        Json.send(
                ctx,
                new TrainingPage(
                        page.trainings().stream().map(TrainingView::toSummary).toList(), page.total(), offset, limit));
    }

    private static Set<JobStatus> states(Context ctx) {
        Set<JobStatus> states = EnumSet.noneOf(JobStatus.class);
        for (String param : ctx.queryParams("state")) {
            for (String name : param.split(",", -1)) {
                if (name.isBlank()) {
                    continue;
                }
                try {
                    states.add(JobStatus.valueOf(name.trim().toUpperCase(Locale.ROOT)));
                } catch (IllegalArgumentException e) {
                    throw KilnException.invalidArgument("Unknown state '" + name.trim() + "' in query parameter"
                            + " state; known states: " + Arrays.toString(JobStatus.values()));
                }
            }
        }
        return states;
    }

    /** {@code DELETE /management/trainings?training_id=ID}. */
    void cancel(Context ctx) {
        Json.send(
                ctx, trainings.cancel(QueryParams.required(ctx, "training_id")).toStatus());
    }

    /** {@code GET /management/trainings/{id}}. */
    void detail(Context ctx) {
        Json.send(ctx, trainings.detail(ctx.pathParam("id")).toDetail());
    }

    /** {@code GET /management/trainings/{id}/progress}. */
    void progress(Context ctx) {
        String id = ctx.pathParam("id");
        long after = QueryParams.integer(ctx, "after_step", Long.MIN_VALUE, Long.MIN_VALUE, Long.MAX_VALUE);
        int limit = (int) QueryParams.integer(ctx, "limit", DEFAULT_POINTS, 1, MAX_POINTS);
        List<ProgressReport> points = trainings.progress(id, after, limit).stream()
                .map(ProgressReport::of)
                .toList();
        Json.send(ctx, new ProgressHistory(id, points));
    }

    /** {@code GET /management/trainings/{id}/logs}, the last {@code tail} lines if given. */
    void logs(Context ctx) {
        String id = ctx.pathParam("id");
        long tail = QueryParams.integer(ctx, "tail", -1, 0, Integer.MAX_VALUE);
        String logs = trainings.logs(id);
        ctx.contentType("text/plain; charset=utf-8").result(tail < 0 ? logs : tail(logs, (int) tail));
    }

    /** {@code GET /management/trainings/{id}/model}: the saved model as a zip archive, streamed. */
    void model(Context ctx) throws java.io.IOException {
        String id = ctx.pathParam("id");
        TrainingView v = trainings.get(id);
        if (v.info().status() != JobStatus.COMPLETED) {
            throw KilnException.failedPrecondition("Training " + id + " is "
                    + v.info().status() + "; only a completed training has a model to download");
        }
        java.nio.file.Path path = v.savePath() == null ? null : java.nio.file.Path.of(v.savePath());
        if (path == null || !java.nio.file.Files.isDirectory(path)) {
            throw KilnException.notFound(
                    "The model of training " + id + " is no longer saved" + (path == null ? "" : " at " + path));
        }
        String name = v.modelName() == null ? id : v.modelName();
        ctx.contentType("application/zip")
                .header(
                        "Content-Disposition",
                        "attachment; filename=\"" + name.replaceAll("[^A-Za-z0-9._-]", "_") + ".zip\"");
        dev.kiln.modelformat.ModelFormat.writeZip(path, ctx.outputStream());
    }

    /** The last {@code n} lines of {@code text}. */
    static String tail(String text, int n) {
        if (n == 0) {
            return "";
        }
        int pos = text.endsWith("\n") ? text.length() - 1 : text.length();
        for (int i = 0; i < n; i++) {
            int newline = text.lastIndexOf('\n', pos - 1);
            if (newline < 0) {
                return text;
            }
            pos = newline;
        }
        return text.substring(pos + 1);
    }
}
