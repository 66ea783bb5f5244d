package dev.kiln.server.http;

import static dev.kiln.server.http.OpenApiSchemas.F;
import static dev.kiln.server.http.OpenApiSchemas.error;
import static dev.kiln.server.http.OpenApiSchemas.object;
import static dev.kiln.server.http.OpenApiSchemas.ref;
import static dev.kiln.server.http.OpenApiSchemas.response;
import static dev.kiln.server.http.OpenApiSchemas.string;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.KilnVersion;
import dev.kiln.json.Parameters;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.ParameterSpec;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The OpenAPI 3.0 description of the server, with every module's training route and parameter schema.
 *
 * <p>Built with Jackson rather than a generator: Javalin's OpenAPI plugin describes routes from annotations at compile
 * time (and has no release for Javalin 7), while the training routes and their parameter schemas here exist only at
 * run time, one per module found on the class path.
 */
final class OpenApiDocument {
    private OpenApiDocument() {}

    /** The document for the modules with training routes. */
    static ObjectNode build(TrainRoutes routes) {
        ObjectNode doc = F.objectNode();
        doc.put("openapi", "3.0.3");
        doc.putObject("info")
                .put("title", "Kiln")
                .put("version", KilnVersion.get())
                .put("description", "Background model training: caikit's training API with a durable job journal.");
        ObjectNode paths = doc.putObject("paths");
        Map<String, ModuleType<?, ?>> sorted = new TreeMap<>(routes.all());
        sorted.forEach((rpc, module) -> paths.set(TrainRoutes.PREFIX + rpc, trainPath(rpc, module)));
        OpenApiPaths.managementPaths(paths);
        doc.set("components", OpenApiSchemas.components());
        OpenApiServingPaths.add(paths, (ObjectNode) doc.get("components").get("schemas"), tasks(routes));
        bodyLimits(paths);
        doc.putArray("security").addObject().putArray("bearer");
        return doc;
    }

    /**
     * Every operation that takes a body can be refused for it before its handler runs: 413 over the size limit, 408
     * for a body that stalls or arrives too slowly.
     */
    private static void bodyLimits(ObjectNode paths) {
        paths.forEach(path -> path.forEach(operation -> {
            if (operation.has("requestBody") && operation.get("responses") instanceof ObjectNode responses) {
                if (!responses.has("408")) {
                    error(
                            responses,
                            "408",
                            "The body stalled for runtime.http.idle_timeout_seconds, or arrived slower than"
                                    + " runtime.http.min_request_data_rate; the connection is closed.");
                }
                if (!responses.has("413")) {
                    error(responses, "413", "The body is larger than runtime.http.max_body_bytes.");
                }
            }
        }));
    }

    /** Each trainable task's inference route name: TextClassificationTask → text-classification. */
    static Set<String> tasks(TrainRoutes routes) {
        Set<String> tasks = new TreeSet<>();
        routes.all()
                .values()
                .forEach(m -> tasks.add(taskRouteName(m.descriptor().task())));
        return tasks;
    }

    /** caikit's kebab-case route name of a task class name, without its {@code Task} suffix. */
    static String taskRouteName(String task) {
        String bare = task.endsWith("Task") ? task.substring(0, task.length() - 4) : task;
        return bare.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
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
        props.set(
                "output_path",
                string("A directory under runtime.training.output_dir to save into; S3 is not" + " supported."));
        props.set(
                "training_id",
                string("An id to train under instead of a generated one; reusing the id of a"
                        + " training that ended replaces it, of one that runs is refused (409)."));
        props.set("trainer", string("The trainer instance to run on; default: default."));
        props.set("parameters", parameters(module));
        post.putObject("requestBody")
                .put("required", true)
                .putObject("content")
                .putObject("application/json")
                .set("schema", body);
        ObjectNode responses = post.putObject("responses");
        responses.set("200", response("The training was submitted and journaled.", ref("TrainResponse")));
        error(
                responses,
                "400",
                "Malformed JSON, an unknown or mistyped parameter, or a path outside the allowed" + " directories.");
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
        schema.put(
                "description",
                "The training parameters of " + module.descriptor().name() + ".");
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
            case "integer" ->
                F.objectNode()
                        .put("type", "integer")
                        .put(
                                "format",
                                spec.javaType().equals("long")
                                                || spec.javaType().equals("java.lang.Long")
                                        ? "int64"
                                        : "int32");
            case "number" -> F.objectNode().put("type", "number");
            case "boolean" -> F.objectNode().put("type", "boolean");
            case "string" -> enumOrString(spec.javaType(), loader);
            case "array" -> {
                ObjectNode a = F.objectNode().put("type", "array");
                a.set(
                        "items",
                        spec.javaType().contains("dev.kiln.data.DataStream") ? ref("DataStream") : F.objectNode());
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
}
