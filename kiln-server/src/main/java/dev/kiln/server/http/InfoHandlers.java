package dev.kiln.server.http;

import dev.kiln.KilnVersion;
import dev.kiln.config.KilnConfig;
import dev.kiln.job.JobStatus;
import dev.kiln.json.Parameters;
import dev.kiln.module.ModuleType;
import dev.kiln.server.api.ModuleSummary;
import dev.kiln.server.api.ParameterInfo;
import dev.kiln.server.api.ServerSummary;
import dev.kiln.server.api.VersionInfo;
import dev.kiln.server.jobs.Trainings;
import dev.kiln.server.metrics.ServerMetrics;
import dev.kiln.trainer.ModelTrainer;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

/** The routes about the server itself: health, version, modules, OpenAPI, metrics and the load summary. */
final class InfoHandlers {
    private final Trainings trainings;
    private final ServerMetrics metrics;
    private final KilnConfig config;
    private final BooleanSupplier serving;
    private final byte[] version;
    private final byte[] modules;
    private final byte[] openApi;

    InfoHandlers(
            Trainings trainings,
            TrainRoutes routes,
            ServerMetrics metrics,
            KilnConfig config,
            BooleanSupplier serving) {
        this.trainings = trainings;
        this.metrics = metrics;
        this.config = config;
        this.serving = serving;
        List<ModuleType<?, ?>> all = new ArrayList<>(new TreeMap<>(routes.all()).values());
        Map<String, String> versions = new LinkedHashMap<>();
        all.forEach(m -> versions.put(m.descriptor().name(), m.descriptor().version()));
        this.version = Json.bytes(new VersionInfo(KilnVersion.get(), System.getProperty("java.version"), versions));
        this.modules = Json.bytes(all.stream().map(m -> summary(m, routes)).toList());
        this.openApi = Json.bytes(OpenApiDocument.build(routes));
    }

    private static ModuleSummary summary(ModuleType<?, ?> m, TrainRoutes routes) {
        var d = m.descriptor();
        return new ModuleSummary(
                d.id(),
                d.name(),
                d.version(),
                d.task(),
                d.moduleClass(),
                TrainRoutes.path(d),
                routes.aliasPaths(d),
                Parameters.specs(m.parametersType()).stream()
                        .map(ParameterInfo::of)
                        .toList());
    }

    /** {@code GET /health}: OK while serving, 503 while shutting down. */
    void health(Context ctx) {
        boolean ok = serving.getAsBoolean();
        ctx.status(ok ? 200 : 503).contentType("text/plain").result(ok ? "OK" : "SHUTTING_DOWN");
    }

    /** {@code GET /info/version}. */
    void version(Context ctx) {
        ctx.contentType(Json.CONTENT_TYPE).result(version);
    }

    /** {@code GET /info/modules}. */
    void modules(Context ctx) {
        ctx.contentType(Json.CONTENT_TYPE).result(modules);
    }

    /** {@code GET /openapi.json}. */
    void openApi(Context ctx) {
        ctx.contentType(Json.CONTENT_TYPE).result(openApi);
    }

    /** {@code GET /metrics}. */
    void metrics(Context ctx) {
        ctx.contentType(ServerMetrics.contentType()).result(metrics.scrape(trainings.counts()));
    }

    /** {@code GET /management/summary}. */
    void summary(Context ctx) {
        Map<JobStatus, Long> counts = trainings.counts();
        Map<String, Long> byName = new LinkedHashMap<>();
        counts.forEach((s, n) -> byName.put(s.name(), n));
        List<ServerSummary.TrainerSummary> trainers = new ArrayList<>();
        for (ModelTrainer t : trainings.manager().trainers()) {
            Long max = config.section("model_management.trainers." + t.name() + ".config")
                    .integer("max_concurrent_jobs")
                    .orElse(null);
            trainers.add(new ServerSummary.TrainerSummary(t.name(), t.type(), max));
        }
        Json.send(ctx, new ServerSummary(byName, counts.getOrDefault(JobStatus.QUEUED, 0L), trainers));
    }
}
