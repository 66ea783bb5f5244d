package dev.kiln.server.http;

import static dev.kiln.server.http.OpenApiSchemas.F;
import static dev.kiln.server.http.OpenApiSchemas.content;
import static dev.kiln.server.http.OpenApiSchemas.error;
import static dev.kiln.server.http.OpenApiSchemas.json;
import static dev.kiln.server.http.OpenApiSchemas.ref;
import static dev.kiln.server.http.OpenApiSchemas.response;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The OpenAPI paths of the routes that are not training routes: management, info and metrics. */
final class OpenApiPaths {
    private OpenApiPaths() {}

    /** Adds every route but the training routes to {@code paths}. */
    static void managementPaths(ObjectNode paths) {
        ObjectNode trainings = paths.putObject("/management/trainings");
        ObjectNode get = operation(
                "Without training_id: the trainings, newest first, filtered by state and paged."
                        + " With training_id: that training's status in caikit's shape.",
                "management");
        ArrayNode params = get.putArray("parameters");
        params.add(query("training_id", "string", "The training to report on."));
        params.add(query(
                "state",
                "string",
                "Comma-separated states to list: QUEUED, RUNNING, COMPLETED, CANCELED," + " ERRORED."));
        params.add(query("limit", "integer", "The most trainings on a page, 1 to 1000; default 50."));
        params.add(query("offset", "integer", "How many matching trainings to skip; default 0."));
        ObjectNode oneOf = F.objectNode();
        oneOf.putArray("oneOf").add(ref("TrainingStatus")).add(ref("TrainingPage"));
        get.putObject("responses").set("200", response("The status, or a page of trainings.", oneOf));
        error((ObjectNode) get.get("responses"), "404", "No training has this id.");
        trainings.set("get", get);
        ObjectNode delete =
                operation("Cancels a training; answers its status (CANCELED unless it had ended).", "management");
        delete.putArray("parameters")
                .add(query("training_id", "string", "The training to cancel.").put("required", true));
        delete.putObject("responses").set("200", response("The status after the cancel.", ref("TrainingStatus")));
        error((ObjectNode) delete.get("responses"), "400", "training_id is missing.");
        error((ObjectNode) delete.get("responses"), "404", "No training has this id.");
        trainings.set("delete", delete);

        ArrayNode idParam = F.arrayNode()
                .add(F.objectNode()
                        .put("name", "id")
                        .put("in", "path")
                        .put("required", true)
                        .set("schema", F.objectNode().put("type", "string")));
        simple(
                paths,
                "/management/trainings/{id}",
                "Everything about a training: parameters, errors with stacks," + " save path.",
                "management",
                idParam,
                json(ref("TrainingDetail")));
        ObjectNode progress = simple(
                paths,
                "/management/trainings/{id}/progress",
                "The training's progress reports," + " in order, for charts.",
                "management",
                idParam.deepCopy(),
                json(ref("ProgressHistory")));
        ((ArrayNode) progress.get("get").get("parameters"))
                .add(query("after_step", "integer", "Only reports with a later step."))
                .add(query("limit", "integer", "The most reports, 1 to 100000; default 10000."));
        ObjectNode logs = simple(
                paths,
                "/management/trainings/{id}/logs",
                "The training's captured output.",
                "management",
                idParam.deepCopy(),
                content("text/plain", F.objectNode().put("type", "string")));
        ((ArrayNode) logs.get("get").get("parameters")).add(query("tail", "integer", "Only the last N lines."));
        simple(
                paths,
                "/management/trainings/{id}/events",
                "Server-sent events: 'state' (first the current state,"
                        + " then each change) and 'progress', ending with the terminal state.",
                "management",
                idParam.deepCopy(),
                content("text/event-stream", ref("TrainingEvent")));
        simple(
                paths,
                "/management/events",
                "Server-sent events of every training; never ends on its own.",
                "management",
                null,
                content("text/event-stream", ref("TrainingEvent")));
        simple(
                paths,
                "/management/summary",
                "Trainings by state, queue length and each trainer's limits.",
                "management",
                null,
                json(ref("ServerSummary")));
        simple(
                paths,
                "/health",
                "OK while the server serves; 503 while it shuts down. Needs no token.",
                "info",
                null,
                content("text/plain", F.objectNode().put("type", "string")));
        simple(paths, "/info/version", "Kiln's and the modules' versions.", "info", null, json(ref("VersionInfo")));
        ObjectNode modules = F.objectNode().put("type", "array");
        modules.set("items", ref("ModuleSummary"));
        simple(
                paths,
                "/info/modules",
                "Every module with its training route and parameters.",
                "info",
                null,
                json(modules));
        simple(
                paths,
                "/metrics",
                "Prometheus metrics.",
                "info",
                null,
                content("text/plain", F.objectNode().put("type", "string")));
        simple(
                paths,
                "/openapi.json",
                "This document.",
                "info",
                null,
                json(F.objectNode().put("type", "object")));
    }

    private static ObjectNode simple(
            ObjectNode paths, String path, String summary, String tag, ArrayNode parameters, ObjectNode content) {
        ObjectNode get = operation(summary, tag);
        get.set("parameters", parameters == null ? F.arrayNode() : parameters);
        ObjectNode responses = get.putObject("responses");
        responses.set("200", F.objectNode().put("description", "OK").set("content", content));
        if (parameters != null) {
            error(responses, "404", "No training has this id.");
        }
        ObjectNode item = paths.putObject(path);
        item.set("get", get);
        return item;
    }

    static ObjectNode operation(String summary, String tag) {
        ObjectNode op = F.objectNode().put("summary", summary);
        op.putArray("tags").add(tag);
        return op;
    }

    private static ObjectNode query(String name, String type, String description) {
        ObjectNode p = F.objectNode().put("name", name).put("in", "query").put("description", description);
        p.putObject("schema").put("type", type);
        return p;
    }
}
