package dev.kiln.server.http;

import static dev.kiln.server.http.OpenApiSchemas.F;
import static dev.kiln.server.http.OpenApiSchemas.content;
import static dev.kiln.server.http.OpenApiSchemas.error;
import static dev.kiln.server.http.OpenApiSchemas.json;
import static dev.kiln.server.http.OpenApiSchemas.props;
import static dev.kiln.server.http.OpenApiSchemas.ref;
import static dev.kiln.server.http.OpenApiSchemas.response;
import static dev.kiln.server.http.OpenApiSchemas.schema;
import static dev.kiln.server.http.OpenApiSchemas.states;
import static dev.kiln.server.http.OpenApiSchemas.stringArray;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Collection;

/**
 * The OpenAPI paths of serving: caikit's inference and prediction-job routes per task, model info, deploy and
 * undeploy, a training's model as a zip, and Kiln's batch predictions.
 */
final class OpenApiServingPaths {
    private OpenApiServingPaths() {}

    /**
     * Adds the serving routes to {@code paths} and their schemas to {@code schemas}.
     *
     * @param tasks each task's route name (such as {@code text-classification}) mapped by the caller in order
     */
    static void add(ObjectNode paths, ObjectNode schemas, Collection<String> tasks) {
        schemas(schemas);
        for (String task : tasks) {
            String route = "/api/v1/task/" + task;
            ObjectNode post = OpenApiPaths.operation("Runs a model of task " + task + " on one input.", "inference");
            post.putObject("requestBody").put("required", true).set("content", json(ref("InferenceRequest")));
            ObjectNode responses = post.putObject("responses");
            responses.set("200", response("The task's answer.", F.objectNode().put("type", "object")));
            error(responses, "400", "The model serves another task, or the inputs do not fit (the field is named).");
            error(responses, "404", "No model has this id.");
            error(responses, "415", "The body is not application/json.");
            paths.putObject(route).set("post", post);

            ObjectNode job = paths.putObject(route + "/job");
            ObjectNode start = OpenApiPaths.operation(
                    "Starts a prediction job: one inference run in the background.", "inference");
            start.putObject("requestBody").put("required", true).set("content", json(ref("InferenceRequest")));
            ObjectNode startResponses = start.putObject("responses");
            startResponses.set("200", response("The prediction id.", ref("PredictionJob")));
            error(startResponses, "400", "The model serves another task, or the inputs do not fit.");
            error(startResponses, "404", "No model has this id.");
            error(startResponses, "415", "The body is not application/json.");
            job.set("post", start);
            job.set("get", byPredictionId("The prediction job's status.", "PredictionJobStatusResponse"));
            job.set(
                    "delete",
                    byPredictionId(
                            "Cancels a prediction job; answers its state (timestamps are null, as caikit answers).",
                            "PredictionJobStatusResponse"));
            ObjectNode results = byPredictionId(
                    "The result of a COMPLETED prediction job: the task's answer (JSON Lines for a batch).", null);
            ((ObjectNode) results.get("responses"))
                    .set(
                            "200",
                            F.objectNode()
                                    .put("description", "The result.")
                                    .set("content", json(F.objectNode().put("type", "object"))));
            paths.putObject(route + "/job/results").set("get", results);
        }
        predictions(paths);
        models(paths);
    }

    private static void models(ObjectNode paths) {
        ObjectNode info = OpenApiPaths.operation(
                "The models the server serves, in caikit's shape; a model is listed with loaded: true when it can be"
                        + " served.",
                "info");
        info.putArray("parameters")
                .add(query("model_ids", "Only these models (the parameter may be repeated).")
                        .put("required", false));
        info.putObject("responses").set("200", response("The models.", ref("ModelInfoResponse")));
        paths.putObject("/info/models").set("get", info);

        ObjectNode management = paths.putObject("/management/models");
        ObjectNode deploy = OpenApiPaths.operation(
                "Deploys a model from its files (base64) into the local models directory and serves it.", "management");
        deploy.putObject("requestBody").put("required", true).set("content", json(ref("DeployModelRequest")));
        ObjectNode dr = deploy.putObject("responses");
        dr.set("200", response("The deployed model.", ref("ModelInfo")));
        error(dr, "400", "A field is missing or wrong, or the files are not a model.");
        error(dr, "409", "A model with this id is already served.");
        management.set("post", deploy);
        ObjectNode undeploy = OpenApiPaths.operation("Stops serving a deployed model and deletes it.", "management");
        undeploy.putArray("parameters").add(query("model_id", "The model to undeploy."));
        ObjectNode ur = undeploy.putObject("responses");
        ur.set("200", response("The undeployed model's id.", ref("UndeployModelResponse")));
        error(ur, "404", "No deployed model has this id.");
        management.set("delete", undeploy);

        ObjectNode zip = OpenApiPaths.operation("A completed training's saved model, as a zip.", "management");
        zip.putArray("parameters")
                .add(F.objectNode()
                        .put("name", "id")
                        .put("in", "path")
                        .put("required", true)
                        .set("schema", F.objectNode().put("type", "string")));
        ObjectNode zr = zip.putObject("responses");
        zr.set(
                "200",
                F.objectNode()
                        .put("description", "The model directory, zipped.")
                        .set(
                                "content",
                                content(
                                        "application/zip",
                                        F.objectNode().put("type", "string").put("format", "binary"))));
        error(zr, "404", "No training has this id, or it saved no model (it has not completed).");
        paths.putObject("/management/trainings/{id}/model").set("get", zip);
    }

    private static ObjectNode byPredictionId(String summary, String schema) {
        ObjectNode op = OpenApiPaths.operation(summary, "inference");
        op.putArray("parameters").add(query("prediction_id", "The prediction job's id."));
        ObjectNode responses = op.putObject("responses");
        if (schema != null) {
            responses.set("200", response("The prediction job's state.", ref(schema)));
        }
        error(responses, "400", "prediction_id is missing.");
        error(
                responses,
                "404",
                "No prediction has this id (or it ended longer ago than the retention), or its"
                        + " result is not there: it has not completed.");
        return op;
    }

    private static void predictions(ObjectNode paths) {
        ObjectNode list = paths.putObject("/management/predictions");
        ObjectNode get = OpenApiPaths.operation("Every prediction job still kept, the latest first.", "inference");
        get.putObject("responses").set("200", response("The prediction jobs.", ref("PredictionPage")));
        list.set("get", get);
        ObjectNode post = OpenApiPaths.operation(
                "Starts a batch prediction: every record of the data stream through the model, one result per line.",
                "inference");
        post.putObject("requestBody").put("required", true).set("content", json(ref("BatchRequest")));
        ObjectNode responses = post.putObject("responses");
        responses.set("200", response("The batch's prediction job.", ref("PredictionDetail")));
        error(responses, "400", "A field is missing or wrong, or a data file is outside the data directory.");
        error(responses, "404", "No model has this id.");
        list.set("post", post);

        ArrayNode id = F.arrayNode()
                .add(F.objectNode()
                        .put("name", "id")
                        .put("in", "path")
                        .put("required", true)
                        .set("schema", F.objectNode().put("type", "string")));
        ObjectNode one = paths.putObject("/management/predictions/{id}");
        ObjectNode detail = OpenApiPaths.operation("A prediction job: state, progress, timestamps.", "inference");
        detail.set("parameters", id.deepCopy());
        detail.putObject("responses").set("200", response("The prediction job.", ref("PredictionDetail")));
        error((ObjectNode) detail.get("responses"), "404", "No prediction has this id.");
        one.set("get", detail);
        ObjectNode cancel = OpenApiPaths.operation("Cancels a prediction job.", "inference");
        cancel.set("parameters", id.deepCopy());
        cancel.putObject("responses")
                .set("200", response("The prediction job after the cancel.", ref("PredictionDetail")));
        error((ObjectNode) cancel.get("responses"), "404", "No prediction has this id.");
        one.set("delete", cancel);
        ObjectNode results = OpenApiPaths.operation(
                "The results of a COMPLETED prediction job: JSON Lines, one result per record, for a batch.",
                "inference");
        results.set("parameters", id.deepCopy());
        ObjectNode rs = results.putObject("responses");
        ObjectNode both = content("application/x-ndjson", F.objectNode().put("type", "string"));
        both.set("application/json", F.objectNode().set("schema", F.objectNode().put("type", "object")));
        rs.set("200", F.objectNode().put("description", "The results.").set("content", both));
        error(rs, "404", "No prediction has this id, or it has not completed.");
        paths.putObject("/management/predictions/{id}/results").set("get", results);
    }

    private static void schemas(ObjectNode s) {
        ObjectNode model = schema(new String[] {
            "name", "string", "model_path", "string", "size", "integer", "loaded", "boolean", "module_id", "string"
        });
        props(model).set("metadata", F.objectNode().put("type", "object"));
        props(model)
                .set(
                        "module_metadata",
                        F.objectNode()
                                .put("type", "object")
                                .set("additionalProperties", F.objectNode().put("type", "string")));
        s.set("ModelInfo", model);
        ObjectNode models = F.objectNode().put("type", "array");
        models.set("items", ref("ModelInfo"));
        ObjectNode modelsResponse = F.objectNode().put("type", "object");
        modelsResponse.putObject("properties").set("models", models);
        s.set("ModelInfoResponse", modelsResponse);
        ObjectNode file = schema(new String[] {"filename", "string", "data", "string"});
        ((ObjectNode) props(file).get("data")).put("format", "byte");
        ObjectNode files = F.objectNode().put("type", "array");
        files.set("items", file);
        ObjectNode deploy = schema(new String[] {"model_id", "string"});
        props(deploy).set("model_files", files);
        deploy.putArray("required").add("model_id").add("model_files");
        s.set("DeployModelRequest", deploy);
        s.set("UndeployModelResponse", schema(new String[] {"model_id", "string"}));
        ObjectNode request = schema(new String[] {"model_id", "string", "parameters", "object"});
        props(request)
                .set(
                        "inputs",
                        F.objectNode()
                                .put(
                                        "description",
                                        "The task's input: a string for"
                                                + " text-classification, an object of column values for the tabular tasks."));
        request.putArray("required").add("model_id").add("inputs");
        s.set("InferenceRequest", request);
        s.set("PredictionJob", schema(new String[] {"prediction_id", "string"}));
        ObjectNode status = schema(new String[] {
            "prediction_id", "string", "submission_timestamp", "date-time", "completion_timestamp", "date-time"
        });
        props(status).set("state", states());
        props(status).set("reasons", stringArray());
        s.set("PredictionJobStatusResponse", status);
        ObjectNode detail = schema(new String[] {
            "prediction_id",
            "string",
            "task",
            "string",
            "model_id",
            "string",
            "batch",
            "boolean",
            "submission_timestamp",
            "date-time",
            "start_timestamp",
            "date-time",
            "completion_timestamp",
            "date-time",
            "records_done",
            "integer",
            "records_total",
            "integer",
            "results_url",
            "string"
        });
        props(detail).set("state", states());
        props(detail).set("reasons", stringArray());
        s.set("PredictionDetail", detail);
        ObjectNode page = F.objectNode().put("type", "object");
        ObjectNode items = F.objectNode().put("type", "array");
        items.set("items", ref("PredictionDetail"));
        page.putObject("properties").set("predictions", items);
        s.set("PredictionPage", page);
        ObjectNode batch = schema(new String[] {"task", "string", "model_id", "string"});
        props(batch).set("data_stream", ref("DataStream"));
        batch.putArray("required").add("task").add("model_id").add("data_stream");
        s.set("BatchRequest", batch);
    }

    private static ObjectNode query(String name, String description) {
        ObjectNode p = F.objectNode()
                .put("name", name)
                .put("in", "query")
                .put("required", true)
                .put("description", description);
        p.putObject("schema").put("type", "string");
        return p;
    }
}
