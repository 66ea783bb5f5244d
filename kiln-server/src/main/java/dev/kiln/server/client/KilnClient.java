package dev.kiln.server.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.server.api.ErrorResponse;
import dev.kiln.server.api.ModuleSummary;
import dev.kiln.server.api.ProgressHistory;
import dev.kiln.server.api.ServerSummary;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.api.TrainingDetail;
import dev.kiln.server.api.TrainingEvent;
import dev.kiln.server.api.TrainingPage;
import dev.kiln.server.api.TrainingStatus;
import dev.kiln.server.api.TrainingSummary;
import dev.kiln.server.api.VersionInfo;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A client of a Kiln server: the calls behind {@code kiln train|status|list|cancel|logs --server URL}. Errors the
 * server answers become {@link KilnServerException}s carrying the server's code and message; a server that cannot
 * be reached is UNAVAILABLE.
 */
public final class KilnClient {
    private static final ObjectMapper JSON = KilnJson.data();

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;
    private volatile List<ModuleSummary> modules;

    private KilnClient(URI base, String token, Duration timeout) {
        String text = base.toString();
        this.base = URI.create(text.endsWith("/") ? text.substring(0, text.length() - 1) : text);
        this.token = token == null || token.isBlank() ? null : token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    /** A client of the server at {@code base}, such as {@code http://127.0.0.1:8080}, with no token. */
    public static KilnClient connect(URI base) {
        return connect(base, null);
    }

    /** A client that sends {@code token} (or none when null) as its bearer token. */
    public static KilnClient connect(URI base, String token) {
        return connect(base, token, Duration.ofSeconds(60));
    }

    /** A client whose requests (other than event streams) give up after {@code timeout}. */
    public static KilnClient connect(URI base, String token, Duration timeout) {
        Objects.requireNonNull(base, "base");
        if (base.getScheme() == null
                || !(base.getScheme().equals("http") || base.getScheme().equals("https"))) {
            throw KilnException.invalidArgument("The server URL must start with http:// or https://; got " + base);
        }
        return new KilnClient(base, token, timeout);
    }

    /** The server's base address. */
    public URI baseUri() {
        return base;
    }

    /**
     * Starts a training of a module named by id, name or class name.
     *
     * @param parameters the module's training parameters
     * @throws KilnServerException with the server's code and message, e.g. INVALID_ARGUMENT naming a parameter
     */
    public TrainResponse train(String moduleRef, String modelName, JsonNode parameters) {
        return train(moduleRef, modelName, parameters, null);
    }

    /**
     * Starts a training under an id of the caller's choosing (a retry after a failure reuses it).
     *
     * @param trainingId the id, or null for a generated one
     * @throws KilnServerException with the server's code and message; CONFLICT if the id is running
     */
    public TrainResponse train(String moduleRef, String modelName, JsonNode parameters, String trainingId) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model_name", modelName);
        if (parameters != null) {
            body.set("parameters", parameters);
        }
        if (trainingId != null) {
            body.put("training_id", trainingId);
        }
        return train(moduleRef, body);
    }

    /**
     * Posts a whole training request body ({@code model_name}, {@code output_path}, {@code parameters},
     * {@code training_id}, {@code trainer}) to the module's training route.
     *
     * @throws KilnServerException with the server's code and message
     */
    public TrainResponse train(String moduleRef, ObjectNode body) {
        ModuleSummary module = module(moduleRef);
        return send(
                request(module.trainRoute())
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .header("Content-Type", "application/json"),
                TrainResponse.class);
    }

    /**
     * A training's status in caikit's shape.
     *
     * @throws KilnServerException NOT_FOUND naming the id
     */
    public TrainingStatus status(String trainingId) {
        return send(
                request("/management/trainings?training_id=" + encode(trainingId))
                        .GET(),
                TrainingStatus.class);
    }

    /**
     * Everything the server knows about a training.
     *
     * @throws KilnServerException NOT_FOUND naming the id
     */
    public TrainingDetail detail(String trainingId) {
        return send(request("/management/trainings/" + encode(trainingId)).GET(), TrainingDetail.class);
    }

    /** A page of trainings in the given states (all when empty), newest first. */
    public TrainingPage list(Set<JobStatus> states, int limit, int offset) {
        StringBuilder path = new StringBuilder("/management/trainings?limit=")
                .append(limit)
                .append("&offset=")
                .append(offset);
        if (states != null && !states.isEmpty()) {
            path.append("&state=")
                    .append(states.stream().map(Enum::name).sorted().collect(Collectors.joining(",")));
        }
        return send(request(path.toString()).GET(), TrainingPage.class);
    }

    /**
     * Cancels a training; answers its status afterwards (CANCELED unless it had ended).
     *
     * @throws KilnServerException NOT_FOUND naming the id
     */
    public TrainingStatus cancel(String trainingId) {
        return send(
                request("/management/trainings?training_id=" + encode(trainingId))
                        .DELETE(),
                TrainingStatus.class);
    }

    /**
     * A training's captured output, the last {@code tail} lines when given.
     *
     * @throws KilnServerException NOT_FOUND naming the id
     */
    public String logs(String trainingId, Integer tail) {
        String path = "/management/trainings/" + encode(trainingId) + "/logs" + (tail == null ? "" : "?tail=" + tail);
        return text(request(path).GET());
    }

    /**
     * A training's progress reports with a step after {@code afterStep}.
     *
     * @throws KilnServerException NOT_FOUND naming the id
     */
    public ProgressHistory progress(String trainingId, long afterStep) {
        return send(
                request("/management/trainings/" + encode(trainingId) + "/progress?after_step=" + afterStep)
                        .GET(),
                ProgressHistory.class);
    }

    /**
     * Follows a training's event stream until it ends: {@code onEvent} gets its current state first, then every
     * change and progress report.
     *
     * @return the training as it ended
     * @throws KilnServerException NOT_FOUND naming the id; UNAVAILABLE if the stream ended first
     * @throws InterruptedException if the waiting thread is interrupted
     */
    public TrainingSummary watch(String trainingId, Consumer<TrainingEvent> onEvent) throws InterruptedException {
        HttpRequest req = request("/management/trainings/" + encode(trainingId) + "/events")
                .header("Accept", "text/event-stream")
                .timeout(Duration.ofDays(365))
                .GET()
                .build();
        HttpResponse<Stream<String>> response;
        try {
            response = http.send(req, HttpResponse.BodyHandlers.ofLines());
        } catch (IOException e) {
            throw unreachable(e);
        }
        AtomicReference<TrainingSummary> last = new AtomicReference<>();
        try (Stream<String> lines = response.body()) {
            if (response.statusCode() != 200) {
                throw error(response.statusCode(), lines.collect(Collectors.joining("\n")));
            }
            EventStreamReader reader = new EventStreamReader((name, data) -> {
                TrainingEvent e = read(data, TrainingEvent.class);
                last.set(e.training());
                onEvent.accept(e);
            });
            for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
                reader.line(it.next());
                TrainingSummary now = last.get();
                if (now != null && now.state().isTerminal()) {
                    return now;
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopped watching training " + trainingId);
                }
            }
        } catch (java.io.UncheckedIOException e) {
            throw unreachable(e.getCause());
        }
        throw new KilnException(
                ErrorCode.UNAVAILABLE,
                "The event stream of training " + trainingId
                        + " ended before the training did (the server may be shutting down)");
    }

    /** Every module the server can train, with its training route and parameters. */
    public List<ModuleSummary> modules() {
        List<ModuleSummary> m = modules;
        if (m == null) {
            m = List.of(send(request("/info/modules").GET(), ModuleSummary[].class));
            modules = m;
        }
        return m;
    }

    /**
     * The module with this id, name or class name.
     *
     * @throws KilnException NOT_FOUND listing the server's modules
     */
    public ModuleSummary module(String ref) {
        List<ModuleSummary> all = modules();
        return all.stream()
                .filter(m -> m.moduleId().equals(ref)
                        || m.name().equals(ref)
                        || m.moduleClass().equals(ref))
                .findFirst()
                .orElseThrow(() -> KilnException.notFound("The server at " + base + " has no module '" + ref
                        + "'; its modules: "
                        + (all.isEmpty()
                                ? "none"
                                : all.stream().map(ModuleSummary::name).collect(Collectors.joining(", ")))));
    }

    /**
     * The models the server serves, in caikit's shape: {@code {"models": [{name, model_path, size, loaded, metadata,
     * module_id, module_metadata}]}}.
     *
     * @param modelIds only these models; none for all
     * @throws KilnServerException with the server's code and message
     */
    public JsonNode servedModels(String... modelIds) {
        String query = Stream.of(modelIds).map(id -> "model_ids=" + encode(id)).collect(Collectors.joining("&"));
        return send(
                request("/info/models" + (query.isEmpty() ? "" : "?" + query)).GET(), JsonNode.class);
    }

    /**
     * Runs a served model on one input through caikit's inference route, {@code POST /api/v1/task/{task}}.
     *
     * @param task the task's route name, such as {@code text-classification}
     * @param inputs the task's input: a string for text classification, an object of column values for the
     *     tabular tasks
     * @return the task's answer, such as {@code {"results": [{"label", "score"}]}}
     * @throws KilnServerException NOT_FOUND naming an unknown model, INVALID_ARGUMENT naming an input field
     */
    public JsonNode predict(String task, String modelId, JsonNode inputs) {
        ObjectNode body = JSON.createObjectNode();
        body.put("model_id", modelId);
        body.set("inputs", inputs);
        body.putObject("parameters");
        return send(
                request("/api/v1/task/" + encode(task))
                        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))
                        .header("Content-Type", "application/json"),
                JsonNode.class);
    }

    /** The server's version and its modules' versions. */
    public VersionInfo version() {
        return send(request("/info/version").GET(), VersionInfo.class);
    }

    /** Trainings by state, queue length and each trainer's limits. */
    public ServerSummary summary() {
        return send(request("/management/summary").GET(), ServerSummary.class);
    }

    /** Whether the server answers its health check with OK. */
    public boolean healthy() {
        try {
            HttpResponse<String> r = http.send(request("/health").GET().build(), HttpResponse.BodyHandlers.ofString());
            return r.statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(timeout);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return b;
    }

    private <T> T send(HttpRequest.Builder request, Class<T> type) {
        return read(text(request), type);
    }

    private String text(HttpRequest.Builder request) {
        HttpResponse<String> r;
        try {
            r = http.send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KilnException(ErrorCode.UNAVAILABLE, "Interrupted while calling the Kiln server at " + base);
        }
        if (r.statusCode() / 100 != 2) {
            throw error(r.statusCode(), r.body());
        }
        return r.body();
    }

    private KilnServerException error(int status, String body) {
        try {
            ErrorResponse e = JSON.readValue(body, ErrorResponse.class);
            if (e.details() != null) {
                return new KilnServerException(status, e.details(), e.id());
            }
        } catch (JsonProcessingException ignored) {
            // not Kiln's error shape: report the raw answer
        }
        return new KilnServerException(
                status,
                "The server at " + base + " answered " + status + ": "
                        + (body == null || body.isBlank() ? "(no body)" : body),
                null);
    }

    private KilnException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : e.toString();
        return new KilnException(ErrorCode.UNAVAILABLE, "Cannot reach the Kiln server at " + base + ": " + why, e);
    }

    private <T> T read(String body, Class<T> type) {
        try {
            return JSON.readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "The server at " + base + " answered something that is not" + " a " + type.getSimpleName() + ": "
                            + e.getOriginalMessage(),
                    e);
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
