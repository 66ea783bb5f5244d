package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import dev.kiln.server.api.ModelInfoResponse;
import dev.kiln.server.api.UndeployResponse;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.task.TaskSpec;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * caikit's serving routes: inference ({@code POST /api/v1/task/{task}}), model info ({@code GET /info/models}) and
 * model management ({@code POST} and {@code DELETE /management/models}), with caikit's request and answer shapes.
 */
final class ServingHandlers {
    private static final List<String> PREDICT_FIELDS = List.of("model_id", "inputs", "parameters");
    private static final List<String> DEPLOY_FIELDS = List.of("model_id", "model_files");

    private final ModelServing serving;
    private final RequestBodies bodies;

    ServingHandlers(ModelServing serving, RequestBodies bodies) {
        this.serving = serving;
        this.bodies = bodies;
    }

    /** {@code POST /api/v1/task/{task}}: {@code {"model_id", "inputs", "parameters"}} in, the task's shape out. */
    void predict(Context ctx) {
        TaskSpec task = serving.tasks().byRoute(ctx.pathParam("task"));
        JsonNode body = object(bodies.json(ctx), "model_id, inputs and parameters", PREDICT_FIELDS);
        JsonNode modelId = body.get("model_id");
        if (modelId == null || modelId.isNull()) {
            throw KilnException.invalidArgument("Please provide model_id in payload");
        }
        if (!modelId.isTextual() || modelId.asText().isEmpty()) {
            throw KilnException.invalidArgument("model_id must be a non-empty string; got " + modelId);
        }
        noParameters(body.get("parameters"), task);
        Json.send(ctx, serving.predict(task, modelId.asText(), body.get("inputs")));
    }

    /** The tasks here take no optional parameters; {@code {}} (what caikit's client sends) is fine. */
    private static void noParameters(JsonNode parameters, TaskSpec task) {
        if (parameters == null || parameters.isNull()) {
            return;
        }
        if (!parameters.isObject()) {
            throw KilnException.invalidArgument("parameters must be a JSON object; got " + parameters);
        }
        Iterator<String> names = parameters.fieldNames();
        if (names.hasNext()) {
            throw KilnException.invalidArgument(
                    "Unknown parameter 'parameters." + names.next() + "': " + task.name() + " takes no parameters");
        }
    }

    /** {@code GET /info/models}, optionally {@code ?model_ids=a&model_ids=b}. */
    void models(Context ctx) {
        List<String> ids = new ArrayList<>();
        ctx.queryParams("model_ids").stream().filter(s -> !s.isBlank()).forEach(ids::add);
        Json.send(
                ctx,
                new ModelInfoResponse(
                        serving.status(ids).stream().map(ModelInfos::of).toList()));
    }

    /** {@code POST /management/models}: {@code {"model_id", "model_files": [{"filename", "data"}]}}, data in base64. */
    void deploy(Context ctx) {
        JsonNode body = object(bodies.json(ctx), "model_id and model_files", DEPLOY_FIELDS);
        JsonNode id = body.get("model_id");
        if (id == null || !id.isTextual() || id.asText().isBlank()) {
            throw KilnException.invalidArgument("model_id is required: a non-empty string naming the model");
        }
        Json.send(ctx, ModelInfos.of(serving.deploy(id.asText(), files(body.get("model_files")))));
    }

    private static Map<String, byte[]> files(JsonNode files) {
        if (files == null || !files.isArray() || files.isEmpty()) {
            throw KilnException.invalidArgument(
                    "model_files is required: a non-empty array of {\"filename\", \"data\"} with data in base64");
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            JsonNode f = files.get(i);
            String where = "model_files[" + i + "]";
            JsonNode name = f.get("filename");
            JsonNode data = f.get("data");
            if (name == null || !name.isTextual()) {
                throw KilnException.invalidArgument(where + ".filename must be a string");
            }
            if (data == null || !data.isTextual()) {
                throw KilnException.invalidArgument(where + ".data must be a base64 string");
            }
            try {
                out.put(name.asText(), Base64.getDecoder().decode(data.asText()));
            } catch (IllegalArgumentException e) {
                throw KilnException.invalidArgument(where + ".data is not valid base64: " + e.getMessage());
            }
        }
        return out;
    }

    /** {@code DELETE /management/models?model_id=ID}. */
    void undeploy(Context ctx) {
        String id = QueryParams.required(ctx, "model_id");
        serving.undeploy(id);
        Json.send(ctx, new UndeployResponse(id));
    }

    private static JsonNode object(JsonNode body, String expected, List<String> fields) {
        if (!body.isObject()) {
            throw KilnException.invalidArgument("The request body must be a JSON object with " + expected);
        }
        for (Iterator<String> it = body.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!fields.contains(f)) {
                throw KilnException.invalidArgument(
                        "Unknown field '" + f + "' in the request; known fields: " + String.join(", ", fields));
            }
        }
        return body;
    }
}
