package dev.kiln.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.KilnVersion;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.ParameterSpec;
import dev.kiln.module.Parameters;
import java.util.Map;
import java.util.TreeMap;

/** The OpenAPI 3.0 description of the server, with every module's training route and parameter schema. */
final class OpenApiDocument {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final String SCHEMAS = "#/components/schemas/";

    private OpenApiDocument() {
    }

    static ObjectNode build(TrainRoutes routes) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info").put("title", "Kiln").put("version", KilnVersion.get())
                .put("description", "Background model training: caikit's training API with a durable job journal.");
        ObjectNode paths = doc.putObject("paths");
        Map<String, ModuleType<?, ?>> sorted = new TreeMap<>(routes.all());
        sorted.forEach((rpc, module) -> paths.set(TrainRoutes.PREFIX + rpc, trainPath(rpc, module)));
        managementPaths(paths);
        doc.set("components", components());
        doc.putArray("security").addObject().putArray("bearer");
        return doc;
    }

    private static ObjectNode trainPath(String rpc, ModuleType<?, ?> module) {
        ModuleDescriptor d = module.descriptor();
        ObjectNode post = F.objectNode();
        post.put("summary", "Train " + d.name() + " (" + d.task() + ", version " + d.version() + ")");
        post.put("operationId", rpc);
        post.putArray("tags").add("training");
        ObjectNode body = object();
        body.putArray("required").add("model_name");
        ObjectNode props = body.putObject("properties");
        props.set("model_name", string("The model's name, appended to the save path."));
        props.set("output_path", string("A directory under runtime.training.output_dir to save into; S3 is not"
                + " supported."));
        props.set("training_id", string("An id to train under instead of a generated one; reusing the id of a"
                + " training that ended replaces it, of one that runs is refused (409)."));
        props.set("trainer", string("The trainer instance to run on; default: default."));
        props.set("parameters", parameters(module));
        post.putObject("requestBody").put("required", true).putObject("content").putObject("application/json")
                .set("schema", body);
        ObjectNode responses = post.putObject("responses");
        responses.set("200", response("The training was submitted and journaled.", ref("TrainResponse")));
        error(responses, "400", "Malformed JSON, an unknown or mistyped parameter, or a path outside the allowed"
                + " directories.");
        error(responses, "404", "No module trains at this route.");
        error(responses, "409", "training_id names a training that is still running.");
        error(responses, "413", "The body is larger than runtime.http.max_body_bytes.");
        error(responses, "503", "The server is shutting down, or the journal could not record the training.");
        ObjectNode item = F.objectNode();
        item.set("post", post);
        return item;
    }

    private static ObjectNode parameters(ModuleType<?, ?> module) {
        ObjectNode schema = object();
        schema.put("description", "The training parameters of " + module.descriptor().name() + ".");
        ObjectNode props = schema.putObject("properties");
        ArrayNode required = F.arrayNode();
        for (ParameterSpec spec : Parameters.specs(module.parametersType())) {
            ObjectNode p = parameter(spec, module.parametersType().getClassLoader());
            if (!spec.description().isEmpty()) {
                p.put("description", spec.description());
            }
            if (spec.defaultValue() != null) {
                p.set("default", spec.defaultValue());
            }
            props.set(spec.name(), p);
            if (spec.required() && spec.defaultValue() == null) {
                required.add(spec.name());
            }
        }
        if (!required.isEmpty()) {
            schema.set("required", required);
        }
        return schema;
    }

    private static ObjectNode parameter(ParameterSpec spec, ClassLoader loader) {
        return switch (spec.type()) {
            case "integer" -> F.objectNode().put("type", "integer").put("format",
                    spec.javaType().equals("long") || spec.javaType().equals("java.lang.Long") ? "int64" : "int32");
            case "number" -> F.objectNode().put("type", "number");
            case "boolean" -> F.objectNode().put("type", "boolean");
            case "string" -> enumOrString(spec.javaType(), loader);
            case "array" -> {
                ObjectNode a = F.objectNode().put("type", "array");
                a.set("items", spec.javaType().contains("dev.kiln.data.DataStream") ? ref("DataStream")
                        : F.objectNode());
                yield a;
            }
            case "data_stream" -> ref("DataStream");
            case "model" -> ref("ModelReference");
            default -> F.objectNode().put("type", "object");
        };
    }

    private static ObjectNode enumOrString(String javaType, ClassLoader loader) {
        ObjectNode s = F.objectNode().put("type", "string");
        if (!javaType.equals("java.lang.String")) {
            try {
                Class<?> c = Class.forName(javaType, false, loader);
                if (c.isEnum()) {
                    ArrayNode values = s.putArray("enum");
                    for (Object constant : c.getEnumConstants()) {
                        values.add(((Enum<?>) constant).name());
                    }
                }
            } catch (ClassNotFoundException | LinkageError e) {
                // a nested or generic type name: plain string it is
            }
        }
        return s;
    }

    private static void managementPaths(ObjectNode paths) {
        ObjectNode trainings = paths.putObject("/management/trainings");
        ObjectNode get = operation("Without training_id: the trainings, newest first, filtered by state and paged."
                + " With training_id: that training's status in caikit's shape.", "management");
        ArrayNode params = get.putArray("parameters");
        params.add(query("training_id", "string", "The training to report on."));
        params.add(query("state", "string", "Comma-separated states to list: QUEUED, RUNNING, COMPLETED, CANCELED,"
                + " ERRORED."));
        params.add(query("limit", "integer", "The most trainings on a page, 1 to 1000; default 50."));
        params.add(query("offset", "integer", "How many matching trainings to skip; default 0."));
        ObjectNode oneOf = F.objectNode();
        oneOf.putArray("oneOf").add(ref("TrainingStatus")).add(ref("TrainingPage"));
        get.putObject("responses").set("200", response("The status, or a page of trainings.", oneOf));
        error((ObjectNode) get.get("responses"), "404", "No training has this id.");
        trainings.set("get", get);
        ObjectNode delete = operation("Cancels a training; answers its status (CANCELED unless it had ended).",
                "management");
        delete.putArray("parameters").add(query("training_id", "string", "The training to cancel.")
                .put("required", true));
        delete.putObject("responses").set("200", response("The status after the cancel.", ref("TrainingStatus")));
        error((ObjectNode) delete.get("responses"), "400", "training_id is missing.");
        error((ObjectNode) delete.get("responses"), "404", "No training has this id.");
        trainings.set("delete", delete);

        ArrayNode idParam = F.arrayNode().add(F.objectNode().put("name", "id").put("in", "path").put("required", true)
                .set("schema", F.objectNode().put("type", "string")));
        simple(paths, "/management/trainings/{id}", "Everything about a training: parameters, errors with stacks,"
                + " save path.", "management", idParam, json(ref("TrainingDetail")));
        ObjectNode progress = simple(paths, "/management/trainings/{id}/progress", "The training's progress reports,"
                + " in order, for charts.", "management", idParam.deepCopy(), json(ref("ProgressHistory")));
        ((ArrayNode) progress.get("get").get("parameters"))
                .add(query("after_step", "integer", "Only reports with a later step."))
                .add(query("limit", "integer", "The most reports, 1 to 100000; default 10000."));
        ObjectNode logs = simple(paths, "/management/trainings/{id}/logs", "The training's captured output.",
                "management", idParam.deepCopy(), content("text/plain", F.objectNode().put("type", "string")));
        ((ArrayNode) logs.get("get").get("parameters")).add(query("tail", "integer", "Only the last N lines."));
        simple(paths, "/management/trainings/{id}/events", "Server-sent events: 'state' (first the current state,"
                + " then each change) and 'progress', ending with the terminal state.", "management",
                idParam.deepCopy(), content("text/event-stream", ref("TrainingEvent")));
        simple(paths, "/management/events", "Server-sent events of every training; never ends on its own.",
                "management", null, content("text/event-stream", ref("TrainingEvent")));
        simple(paths, "/management/summary", "Trainings by state, queue length and each trainer's limits.",
                "management", null, json(ref("ServerSummary")));
        simple(paths, "/health", "OK while the server serves; 503 while it shuts down. Needs no token.", "info",
                null, content("text/plain", F.objectNode().put("type", "string")));
        simple(paths, "/info/version", "Kiln's and the modules' versions.", "info", null, json(ref("VersionInfo")));
        ObjectNode modules = F.objectNode().put("type", "array");
        modules.set("items", ref("ModuleSummary"));
        simple(paths, "/info/modules", "Every module with its training route and parameters.", "info", null,
                json(modules));
        simple(paths, "/metrics", "Prometheus metrics.", "info", null,
                content("text/plain", F.objectNode().put("type", "string")));
        simple(paths, "/openapi.json", "This document.", "info", null, json(F.objectNode().put("type", "object")));
    }

    private static ObjectNode simple(ObjectNode paths, String path, String summary, String tag, ArrayNode parameters,
                                     ObjectNode content) {
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

    private static ObjectNode operation(String summary, String tag) {
        ObjectNode op = F.objectNode().put("summary", summary);
        op.putArray("tags").add(tag);
        return op;
    }

    private static ObjectNode query(String name, String type, String description) {
        ObjectNode p = F.objectNode().put("name", name).put("in", "query").put("description", description);
        p.putObject("schema").put("type", type);
        return p;
    }

    private static ObjectNode json(JsonNode schema) {
        return content("application/json", schema);
    }

    private static ObjectNode content(String type, JsonNode schema) {
        ObjectNode c = F.objectNode();
        c.putObject(type).set("schema", schema);
        return c;
    }

    private static ObjectNode response(String description, JsonNode schema) {
        return F.objectNode().put("description", description).set("content", json(schema));
    }

    private static void error(ObjectNode responses, String status, String description) {
        responses.set(status, response(description, ref("Error")));
    }

    private static ObjectNode components() {
        ObjectNode c = F.objectNode();
        c.putObject("securitySchemes").putObject("bearer").put("type", "http").put("scheme", "bearer")
                .put("description", "Needed on every route but /health when runtime.http.auth_token or"
                        + " KILN_AUTH_TOKEN is set.");
        ObjectNode s = c.putObject("schemas");
        s.set("Error", schema(new String[] {"code", "integer", "details", "string", "id", "string"}));
        s.set("TrainResponse", schema(new String[] {"training_id", "string", "model_name", "string"}));
        ObjectNode status = schema(new String[] {"training_id", "string", "state", "string",
                "submission_timestamp", "date-time", "completion_timestamp", "date-time"});
        props(status).set("state", states());
        props(status).set("reasons", stringArray());
        s.set("TrainingStatus", status);
        s.set("ProgressReport", schema(new String[] {"step", "integer", "total", "integer", "fraction", "number",
                "metrics", "metrics", "timestamp", "date-time"}));
        s.set("ModuleRef", schema(new String[] {"module_id", "string", "name", "string", "version", "string",
                "task", "string"}));
        ObjectNode summary = schema(new String[] {"training_id", "string", "trainer", "string", "model_name",
                "string", "submission_timestamp", "date-time", "start_timestamp", "date-time",
                "completion_timestamp", "date-time", "save_path", "string"});
        props(summary).set("state", states());
        props(summary).set("module", ref("ModuleRef"));
        props(summary).set("progress", ref("ProgressReport"));
        props(summary).set("reasons", stringArray());
        s.set("TrainingSummary", summary);
        ObjectNode detail = summary.deepCopy();
        ObjectNode errors = F.objectNode().put("type", "array");
        errors.set("items", schema(new String[] {"kind", "string", "type", "string", "message", "string",
                "stack_text", "string"}));
        props(detail).set("errors", errors);
        props(detail).set("parameters", F.objectNode().put("type", "object"));
        props(detail).set("live", F.objectNode().put("type", "boolean").put("description",
                "Whether a trainer still holds the training (false when only the journal remembers it)."));
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
        props(serverSummary).set("counts", F.objectNode().put("type", "object")
                .set("additionalProperties", F.objectNode().put("type", "integer")));
        ObjectNode trainers = F.objectNode().put("type", "array");
        trainers.set("items", schema(new String[] {"name", "string", "type", "string", "max_concurrent_jobs",
                "integer"}));
        props(serverSummary).set("trainers", trainers);
        s.set("ServerSummary", serverSummary);
        ObjectNode version = schema(new String[] {"runtime_version", "string", "java_version", "string"});
        props(version).set("modules", F.objectNode().put("type", "object")
                .set("additionalProperties", F.objectNode().put("type", "string")));
        s.set("VersionInfo", version);
        ObjectNode module = schema(new String[] {"module_id", "string", "name", "string", "version", "string",
                "task", "string", "module_class", "string", "train_route", "string"});
        ObjectNode parameters = F.objectNode().put("type", "array");
        parameters.set("items", schema(new String[] {"name", "string", "type", "string", "java_type", "string",
                "required", "boolean", "description", "string"}));
        props(module).set("parameters", parameters);
        s.set("ModuleSummary", module);
        s.set("DataStream", dataStream());
        s.set("DataStreamSource", dataStreamSource());
        ObjectNode model = F.objectNode().put("description", "A model given by its saved path (inside"
                + " runtime.training.output_dir) or as base64 bytes of its zipped directory.");
        model.putArray("oneOf").add(schema(new String[] {"model_path", "string"}))
                .add(schema(new String[] {"model_bytes", "string"}));
        s.set("ModelReference", model);
        return c;
    }

    private static ObjectNode dataStream() {
        ObjectNode wrapped = object();
        wrapped.putArray("required").add("data_stream");
        wrapped.putObject("properties").set("data_stream", ref("DataStreamSource"));
        ObjectNode ds = F.objectNode().put("description", "Training data as caikit gives it: a data stream source,"
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
        dir.putObject("properties").set("directory", schema(new String[] {"dirname", "string", "extension",
                "string"}));
        ObjectNode source = F.objectNode();
        source.putArray("oneOf").add(data).add(file).add(list).add(dir);
        return source;
    }

    /** An object schema from name/type pairs; types are JSON types, or date-time, or metrics. */
    private static ObjectNode schema(String[] pairs) {
        ObjectNode o = F.objectNode().put("type", "object");
        ObjectNode props = o.putObject("properties");
        for (int i = 0; i < pairs.length; i += 2) {
            String type = pairs[i + 1];
            ObjectNode p = switch (type) {
                case "date-time" -> F.objectNode().put("type", "string").put("format", "date-time")
                        .put("nullable", true);
                case "metrics" -> (ObjectNode) F.objectNode().put("type", "object")
                        .set("additionalProperties", F.objectNode().put("type", "number"));
                default -> F.objectNode().put("type", type);
            };
            props.set(pairs[i], p);
        }
        return o;
    }

    private static ObjectNode props(ObjectNode schema) {
        return (ObjectNode) schema.get("properties");
    }

    private static ObjectNode object() {
        return F.objectNode().put("type", "object").put("additionalProperties", false);
    }

    private static ObjectNode string(String description) {
        return F.objectNode().put("type", "string").put("description", description);
    }

    private static ObjectNode stringArray() {
        ObjectNode a = F.objectNode().put("type", "array");
        a.putObject("items").put("type", "string");
        return a;
    }

    private static ObjectNode states() {
        ObjectNode s = F.objectNode().put("type", "string");
        s.putArray("enum").add("QUEUED").add("RUNNING").add("COMPLETED").add("CANCELED").add("ERRORED");
        return s;
    }

    private static ObjectNode ref(String name) {
        return F.objectNode().put("$ref", SCHEMAS + name);
    }
}
