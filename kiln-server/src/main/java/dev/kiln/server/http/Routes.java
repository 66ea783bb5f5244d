package dev.kiln.server.http;

import dev.kiln.config.KilnConfig;
import dev.kiln.server.jobs.Trainings;
import dev.kiln.server.metrics.ServerMetrics;
import dev.kiln.server.predict.PredictionJobs;
import dev.kiln.serving.ModelServing;
import io.javalin.config.RoutesConfig;
import io.javalin.http.HttpResponseException;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/** The route table: every route of the server in one place, each handled by a method reference. */
public final class Routes {
    private final BearerTokenAuth auth;
    private final TrainingHandlers training;
    private final EventStreamHandler events;
    private final InfoHandlers info;
    private final ServingHandlers models;
    private final PredictionHandlers predictions;

    /**
     * The routes over the server's trainings and served models.
     *
     * @param models the served models
     * @param predictions the prediction jobs run on them
     * @param authToken the bearer token every route but {@code /health} needs, or null
     * @param maxBodyBytes the largest request body accepted
     * @param heartbeat how often an idle event stream sends a keep-alive comment
     * @param serving whether the server is serving (false while it shuts down)
     */
    public Routes(
            Trainings trainings,
            TrainRoutes trainRoutes,
            ModelServing models,
            PredictionJobs predictions,
            ServerMetrics metrics,
            KilnConfig config,
            String authToken,
            long maxBodyBytes,
            Duration heartbeat,
            BooleanSupplier serving) {
        this.auth = new BearerTokenAuth(authToken);
        RequestBodies bodies = new RequestBodies(maxBodyBytes);
        this.training = new TrainingHandlers(trainings, trainRoutes, bodies);
        this.models = new ServingHandlers(models, bodies);
        this.predictions = new PredictionHandlers(predictions, bodies);
        this.events = new EventStreamHandler(trainings, heartbeat);
        this.info = new InfoHandlers(trainings, trainRoutes, metrics, config, serving);
    }

    /** Installs the routes, the token check and the exception mapper. */
    public void install(RoutesConfig routes) {
        routes.before(auth::check);

        routes.post("/api/v1/task/{task}", models::predict);
        routes.post("/api/v1/task/{task}/job", predictions::start);
        routes.get("/api/v1/task/{task}/job", predictions::status);
        routes.delete("/api/v1/task/{task}/job", predictions::cancel);
        routes.get("/api/v1/task/{task}/job/results", predictions::results);
        routes.post("/api/v1/{rpc}", training::train);
        routes.get("/management/trainings", training::statusOrList);
        routes.delete("/management/trainings", training::cancel);
        routes.get("/management/trainings/{id}", training::detail);
        routes.get("/management/trainings/{id}/progress", training::progress);
        routes.get("/management/trainings/{id}/logs", training::logs);
        routes.get("/management/trainings/{id}/model", training::model);
        routes.post("/management/models", models::deploy);
        routes.delete("/management/models", models::undeploy);
        routes.post("/management/predictions", predictions::startBatch);
        routes.get("/management/predictions", predictions::list);
        routes.get("/management/predictions/{id}", predictions::detail);
        routes.delete("/management/predictions/{id}", predictions::cancelById);
        routes.get("/management/predictions/{id}/results", predictions::resultsById);
        routes.get("/management/trainings/{id}/events", events::training);
        routes.get("/management/events", events::all);
        routes.get("/management/summary", info::summary);

        routes.get("/health", info::health);
        routes.get("/info/version", info::version);
        routes.get("/info/modules", info::modules);
        routes.get("/info/models", models::models);
        routes.get("/openapi.json", info::openApi);
        routes.get("/metrics", info::metrics);

        routes.exception(Exception.class, ErrorResponses::handle);
        routes.exception(HttpResponseException.class, ErrorResponses::handle);
    }
}
