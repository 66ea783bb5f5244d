package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The shared schemas of the OpenAPI document (errors, statuses, trainings, data streams) and the helpers that build
 * schema nodes. */
final class OpenApiSchemas {
    static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String SCHEMAS = "#/components/schemas/";

    private OpenApiSchemas() {}

    /** The {@code components} section: the security scheme and every shared schema. */
    static ObjectNode components() {
        ObjectNode c = F.objectNode();
        c.putObject("securitySchemes")
                .putObject("bearer")
                .put("type", "http")
                .put("scheme", "bearer")
                .put(
                        "description",
                        "Needed on every route but /health when runtime.http.auth_token or"
                                + " KILN_AUTH_TOKEN is set.");
        ObjectNode s = c.putObject("schemas");
        s.set("Error", schema(new String[] {"code", "integer", "details", "string", "id", "string"}));
        s.set("TrainResponse", schema(new String[] {"training_id", "string", "model_name", "string"}));
        ObjectNode status = schema(new String[] {
            "training_id",
            "string",
            "state",
            "string",
            "submission_timestamp",
            "date-time",
            "completion_timestamp",
            "date-time"
        });
        props(status).set("state", states());
        props(status).set("reasons", stringArray());
        s.set("TrainingStatus", status);
        s.set("ProgressReport", schema(new String[] {
            "step", "integer", "total", "integer", "fraction", "number", "metrics", "metrics", "timestamp", "date-time"
        }));
        s.set(
                "ModuleRef",
                schema(new String[] {"module_id", "string", "name", "string", "version", "string", "task", "string"}));
        ObjectNode summary = schema(new String[] {
            "training_id",
            "string",
            "trainer",
            "string",
            "model_name",
            "string",
            "submission_timestamp",
            "date-time",
            "start_timestamp",
            "date-time",
            "completion_timestamp",
            "date-time",
            "save_path",
            "string"
        });
        props(summary).set("state", states());
        props(summary).set("module", ref("ModuleRef"));
        props(summary).set("progress", ref("ProgressReport"));
        props(summary).set("reasons", stringArray());
        props(summary)
                .set(
                        "priority",
                        F.objectNode()
                                .put("type", "integer")
                                .put("description", "Its place in its trainer's queue: higher starts first."));
        props(summary)
                .set(
                        "attempt",
                        F.objectNode()
                                .put("type", "integer")
                                .put("description", "The current attempt, counting from 1 (more once retried)."));
        s.set("TrainingSummary", summary);
        ObjectNode detail = summary.deepCopy();
        ObjectNode errors = F.objectNode().put("type", "array");
        errors.set(
                "items",
                schema(new String[] {"kind", "string", "type", "string", "message", "string", "stack_text", "string"}));
        props(detail).set("errors", errors);
        props(detail).set("parameters", F.objectNode().put("type", "object"));
        props(detail)
                .set(
                        "live",
                        F.objectNode()
                                .put("type", "boolean")
                                .put(
                                        "description",
                                        "Whether a trainer still holds the training (false when only the journal remembers it)."));
        props(detail)
                .set(
                        "checkpoint_bytes",
                        F.objectNode()
                                .put("type", "integer")
                                .put("description", "The bytes the training's checkpoints take on disk now."));
        ObjectNode attempt = schema(
                new String[] {"number", "integer", "started", "date-time", "ended", "date-time", "outcome", "string"});
        props(attempt).set("error", errors.get("items").deepCopy());
        ObjectNode attempts = F.objectNode().put("type", "array");
        attempts.set("items", attempt);
        props(detail).set("attempts", attempts);
        s.set("TrainingDetail", detail);
        ObjectNode page = schema(new String[] {"total", "integer", "offset", "integer", "limit", "integer"});
        ObjectNode list = F.objectNode().put("type", "array");
        list.set("items", ref("TrainingSummary"));
        props(page).set("trainings", list);
        s.set("TrainingPage", page);
        ObjectNode history = schema(new String[] {"training_id", "string"});
        ObjectNode points = F.objectNode().put("type", "array");
        points.set("items", ref("ProgressReport"));
        props(history).set("points", points);
        s.set("ProgressHistory", history);
        ObjectNode event = schema(new String[] {"type", "string"});
        props(event).set("training", ref("TrainingSummary"));
        s.set("TrainingEvent", event);
        ObjectNode serverSummary = schema(new String[] {"queue_length", "integer"});
        props(serverSummary)
                .set(
                        "counts",
                        F.objectNode()
                                .put("type", "object")
                                .set("additionalProperties", F.objectNode().put("type", "integer")));
        ObjectNode trainers = F.objectNode().put("type", "array");
        trainers.set(
                "items", schema(new String[] {"name", "string", "type", "string", "max_concurrent_jobs", "integer"}));
        props(serverSummary).set("trainers", trainers);
        s.set("ServerSummary", serverSummary);
        ObjectNode version = schema(new String[] {"runtime_version", "string", "java_version", "string"});
        props(version)
                .set(
                        "modules",
                        F.objectNode()
                                .put("type", "object")
                                .set("additionalProperties", F.objectNode().put("type", "string")));
        s.set("VersionInfo", version);
        ObjectNode module = schema(new String[] {
            "module_id",
            "string",
            "name",
            "string",
            "version",
            "string",
            "task",
            "string",
            "module_class",
            "string",
            "train_route",
            "string"
        });
        ObjectNode parameters = F.objectNode().put("type", "array");
        parameters.set("items", schema(new String[] {
            "name", "string", "type", "string", "java_type", "string", "required", "boolean", "description", "string"
        }));
        props(module).set("parameters", parameters);
        ObjectNode aliases = F.objectNode().put("type", "array");
        aliases.set("items", F.objectNode().put("type", "string"));
        props(module).set("train_aliases", aliases);
        s.set("ModuleSummary", module);
        s.set("DataStream", dataStream());
        s.set("DataStreamSource", dataStreamSource());
        ObjectNode model = F.objectNode()
                .put(
                        "description",
                        "A model given by its saved path (inside"
                                + " runtime.training.output_dir) or as base64 bytes of its zipped directory.");
        model.putArray("oneOf")
                .add(schema(new String[] {"model_path", "string"}))
                .add(schema(new String[] {"model_bytes", "string"}));
        s.set("ModelReference", model);
        return c;
    }

    private static ObjectNode dataStream() {
        ObjectNode wrapped = object();
        wrapped.putArray("required").add("data_stream");
        wrapped.putObject("properties").set("data_stream", ref("DataStreamSource"));
        ObjectNode ds = F.objectNode()
                .put(
                        "description",
                        "Training data as caikit gives it: a data stream source,"
                                + " bare or wrapped in {\"data_stream\": …}. File paths are relative to"
                                + " data_streams.file_source_base.");
        ds.putArray("oneOf").add(wrapped).add(ref("DataStreamSource"));
        return ds;
    }

    private static ObjectNode dataStreamSource() {
        ObjectNode data = object();
        data.putArray("required").add("data");
        data.putObject("properties").putObject("data").put("type", "array");
        ObjectNode file = object();
        file.putArray("required").add("file");
        file.putObject("properties").set("file", schema(new String[] {"filename", "string"}));
        ObjectNode list = object();
        list.putArray("required").add("list_of_files");
        ObjectNode files = object();
        files.putObject("properties").set("files", stringArray());
        list.putObject("properties").set("list_of_files", files);
        ObjectNode dir = object();
        dir.putArray("required").add("directory");
        dir.putObject("properties").set("directory", schema(new String[] {"dirname", "string", "extension", "string"}));
        ObjectNode source = F.objectNode();
        source.putArray("oneOf").add(data).add(file).add(list).add(dir);
        return source;
    }

    /** An object schema from name/type pairs; types are JSON types, or date-time, or metrics. */
    static ObjectNode schema(String[] pairs) {
        ObjectNode o = F.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        for (int i = 0; i < pairs.length; i += 2) {
            String type = pairs[i + 1];
            ObjectNode p = switch (type) {
                case "date-time" ->
                    F.objectNode()
                            .put("type", "string")
                            .put("format", "date-time")
                            .put("nullable", true);
                case "metrics" ->
                    (ObjectNode) F.objectNode()
                            .put("type", "object")
                            .set("additionalProperties", F.objectNode().put("type", "number"));
                default -> F.objectNode().put("type", type);
            };
            props.set(pairs[i], p);
        }
        return o;
    }

    static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    static ObjectNode object() {
        return F.objectNode().put("type", "object").put("additionalProperties", false);
    }

    static ObjectNode string(String description) {
        return F.objectNode().put("type", "string").put("description", description);
    }

    static ObjectNode stringArray() {
        ObjectNode a = F.objectNode().put("type", "array");
        a.putObject("items").put("type", "string");
        return a;
    }

    static ObjectNode states() {
        ObjectNode s = F.objectNode().put("type", "string");
        s.putArray("enum")
                .add("QUEUED")
                .add("RUNNING")
                .add("COMPLETED")
                .add("CANCELED")
                .add("ERRORED");
        return s;
    }

    static ObjectNode json(JsonNode schema) {
        return content("application/json", schema);
    }

    static ObjectNode content(String type, JsonNode schema) {
        ObjectNode c = F.objectNode();
        c.putObject(type).set("schema", schema);
        return c;
    }

    static ObjectNode response(String description, JsonNode schema) {
        return F.objectNode().put("description", description).set("content", json(schema));
    }

    static void error(ObjectNode responses, String status, String description) {
        responses.set(status, response(description, ref("Error")));
    }

    static ObjectNode ref(String name) {
        return F.objectNode().put("$ref", SCHEMAS + name);
    }
}
