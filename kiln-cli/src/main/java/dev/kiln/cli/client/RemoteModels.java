package dev.kiln.cli.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.error.KilnException;
import dev.kiln.server.api.ModuleSummary;
import dev.kiln.server.client.KilnClient;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The models a Kiln server serves, through caikit's routes: {@code /info/models} to list them and
 * {@code POST /api/v1/task/{task}} to run one. Server errors arrive as
 * {@link dev.kiln.server.client.KilnServerException}s with the server's code and message.
 */
public final class RemoteModels {
    private final KilnClient client;

    private RemoteModels(KilnClient client) {
        this.client = client;
    }

    /**
     * The models of the server at {@code url}.
     *
     * @param token the bearer token, or null for none
     */
    public static RemoteModels connect(URI url, String token) {
        return new RemoteModels(KilnClient.connect(url, token));
    }

    /** The server's address. */
    public String where() {
        return client.baseUri().toString();
    }

    /** The server's own answer to {@code GET /info/models}, in caikit's shape. */
    public JsonNode info() {
        return client.servedModels();
    }

    /**
     * Runs the model on one input.
     *
     * @param task the task's route name, or null to look it up from the model's module
     * @throws KilnException NOT_FOUND naming an unknown model, INVALID_ARGUMENT naming an input field
     */
    public JsonNode predict(String task, String modelId, JsonNode inputs) {
        return client.predict(task == null ? taskOf(modelId) : task, modelId, inputs);
    }

    /** Whether the model's task takes a text (text classification) rather than a row of columns. */
    public static boolean takesText(String task) {
        return task.equals("text-classification");
    }

    /**
     * The models the server serves, in id order, with their modules' names from {@code /info/modules}.
     *
     * @throws dev.kiln.server.client.KilnServerException as the server answers
     */
    public List<ModelView> list() {
        Map<String, String> names = client.modules().stream()
                .collect(Collectors.toMap(ModuleSummary::moduleId, ModuleSummary::name, (a, b) -> a));
        List<ModelView> out = new ArrayList<>();
        for (JsonNode m : client.servedModels().path("models")) {
            String moduleId = m.path("module_id").asText("");
            JsonNode training = m.path("metadata").path("training_id");
            out.add(new ModelView(
                    m.path("name").asText(),
                    moduleId,
                    names.getOrDefault(moduleId, moduleId),
                    m.path("size").isNumber() ? m.path("size").asLong() : -1,
                    m.path("model_path").asText(""),
                    training.isTextual() ? training.asText() : null));
        }
        out.sort(Comparator.comparing(ModelView::id));
        return out;
    }

    /**
     * The route name of the task the served model {@code modelId} belongs to, such as {@code text-classification}.
     *
     * @throws KilnException NOT_FOUND naming the model if the server does not serve it
     */
    public String taskOf(String modelId) {
        JsonNode model = null;
        for (JsonNode m : client.servedModels(modelId).path("models")) {
            if (m.path("name").asText().equals(modelId)) {
                model = m;
            }
        }
        if (model == null) {
            throw KilnException.notFound(
                    "The server at " + client.baseUri() + " serves no model '" + modelId + "'; see kiln models");
        }
        String moduleId = model.path("module_id").asText("");
        Map<String, ModuleSummary> modules =
                client.modules().stream().collect(Collectors.toMap(ModuleSummary::moduleId, Function.identity()));
        ModuleSummary module = modules.get(moduleId);
        if (module == null) {
            throw KilnException.notFound("Model '" + modelId + "' belongs to module " + moduleId
                    + ", which the server at " + client.baseUri() + " does not have; pass --task");
        }
        return ModelViews.taskRouteName(module.task());
    }
}
