package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.files.NoFollowPaths;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.FuzzBudget;
import dev.kiln.testing.Mutations;
import dev.kiln.testing.SampleModel;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Every route of the server, as its OpenAPI document lists them, over mutated JSON bodies, odd query strings, path
 * segments and methods. Each answer is below 500, an error is Kiln's JSON error shape naming something from the
 * request, nothing changes outside the server's directories (a sentinel tree beside them, reachable through links
 * inside them, stays as it was), and the journal then holds exactly the trainings that were acknowledged.
 */
@AddLifecycleHook(FuzzBudget.class)
class HttpRoutesFuzzTest {
    private static final List<String> METHODS = List.of("GET", "POST", "DELETE", "PUT", "PATCH", "OPTIONS");
    private static final Set<String> ERROR_FIELDS = Set.of("code", "details", "id");
    private static final java.util.regex.Pattern PATH_PARAMETER = java.util.regex.Pattern.compile("\\{([^}]+)}");

    private static Path root;
    private static Path sentinel;
    private static Map<Path, String> sentinelBefore;
    private static TestServer server;
    private static List<Route> routes;
    private static Map<String, String> seeds;
    private static final Set<String> acknowledged = ConcurrentHashMap.newKeySet();

    /** A route template, its method and its required query parameters, from the OpenAPI document. */
    record Route(String method, String template, Set<String> requiredQuery) {}

    /**
     * One request: a route with its segments filled, a query, a body, and what the generator changed from a valid
     * request (the method, path parameters and their values, query keys and values, body fields), any of which an
     * error must name.
     */
    record Request(String method, String path, String query, String body, Set<String> blame) {
        @Override
        public String toString() {
            return method + " " + path + (query.isEmpty() ? "" : "?" + query) + " " + abbreviate(body) + " (changed: "
                    + blame.stream().map(HttpRoutesFuzzTest::abbreviate).toList() + ")";
        }
    }

    /** A body and the fields a change to it may be blamed on. */
    record Body(String text, Set<String> blame) {}

    @BeforeContainer
    static void startServer() throws IOException {
        root = Files.createTempDirectory("kiln-fuzz-http-").toRealPath();
        sentinel = Files.createDirectories(root.resolve("sentinel"));
        Files.writeString(sentinel.resolve("keep.txt"), "keep");
        Files.createSymbolicLink(sentinel.resolve("up"), root);
        Path dir = Files.createDirectories(root.resolve("server"));
        server = TestServer.start(dir, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {max_concurrent_jobs: 2}
                """);
        Files.createDirectories(dir.resolve("models"));
        Files.createDirectories(dir.resolve("local-models"));
        for (String owned : List.of("data", "models", "local-models")) {
            Files.createSymbolicLink(dir.resolve(owned).resolve("link-out"), sentinel);
        }
        server.dataFile("train.jsonl", 4);
        sentinelBefore = snapshot(sentinel);
        routes = routes(server.http().get("/openapi.json").json());
        seeds = seeds();
    }

    @AfterContainer
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        ModelFormat.deleteRecursively(root);
    }

    private static List<Route> routes(JsonNode openApi) {
        List<Route> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(op -> {
                Set<String> required = new java.util.TreeSet<>();
                op.getValue().path("parameters").forEach(p -> {
                    if (p.path("in").asText().equals("query")
                            && p.path("required").asBoolean()) {
                        required.add(p.get("name").asText());
                    }
                });
                out.add(new Route(op.getKey().toUpperCase(), path.getKey(), required));
            });
        }
        return out;
    }

    private static Map<String, String> seeds() throws IOException {
        ObjectNode params = TestServer.params().put("batch_size", 4).put("steps", 2);
        params.putObject("training_data").putObject("file").put("filename", "train.jsonl");
        ObjectNode train = TestServer.request("fz", params);
        train.put("output_path", "out").put("training_id", "fz-seed");

        ObjectNode deploy = KilnJson.strict().createObjectNode().put("model_id", "fz-model");
        ArrayNode files = deploy.putArray("model_files");
        try (ZipInputStream in =
                new ZipInputStream(new ByteArrayInputStream(ModelFormat.toBytes(new SampleModel(3, 2))))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                files.addObject()
                        .put("filename", e.getName())
                        .put("data", Base64.getEncoder().encodeToString(in.readAllBytes()));
            }
        }
        ObjectNode predict =
                KilnJson.strict().createObjectNode().put("model_id", "fz-model").put("inputs", "a b");
        predict.putObject("parameters");
        ObjectNode batch =
                KilnJson.strict().createObjectNode().put("task", "sample").put("model_id", "fz-model");
        batch.putObject("data_stream").putObject("file").put("filename", "train.jsonl");
        return Map.of(
                "train", train.toString(),
                "deploy", deploy.toString(),
                "predict", predict.toString(),
                "batch", batch.toString());
    }

    /** The seed body a route takes; any other route gets one of them anyway. */
    private static String seedFor(String template, int pick) {
        if (template.startsWith("/api/v1/task/")) {
            return seeds.get("predict");
        } else if (template.startsWith("/api/v1/")) {
            return seeds.get("train");
        } else if (template.equals("/management/models")) {
            return seeds.get("deploy");
        } else if (template.startsWith("/management/predictions")) {
            return seeds.get("batch");
        }
        return List.copyOf(new TreeMap<>(seeds).values()).get(pick % seeds.size());
    }

    @Provide
    Arbitrary<Request> requests() {
        Arbitrary<Route> route = Arbitraries.of(routes);
        Arbitrary<String> segment = Arbitraries.oneOf(
                Arbitraries.of("fz-seed", "fz-model", "text-classification", "sample", "link-out", "..", "%2e%2e"),
                Arbitraries.of(Mutations.HOSTILE).map(HttpRoutesFuzzTest::encode),
                Arbitraries.strings().ofMaxLength(12).map(HttpRoutesFuzzTest::encode));
        Arbitrary<List<Map.Entry<String, String>>> query = Combinators.combine(
                        Arbitraries.of(
                                        "training_id",
                                        "model_id",
                                        "limit",
                                        "offset",
                                        "state",
                                        "after_step",
                                        "tail",
                                        "x",
                                        "\u0000")
                                .list()
                                .ofMaxSize(3),
                        Arbitraries.oneOf(
                                        Arbitraries.of("fz-seed", "fz-model", "-1", "0", "99999999999999999999", ""),
                                        Arbitraries.of(Mutations.HOSTILE))
                                .list()
                                .ofSize(3))
                .as((keys, values) -> {
                    List<Map.Entry<String, String>> pairs = new ArrayList<>();
                    for (int i = 0; i < keys.size(); i++) {
                        pairs.add(Map.entry(keys.get(i), values.get(i)));
                    }
                    return pairs;
                });
        return Combinators.combine(
                        route,
                        Arbitraries.of(METHODS).injectDuplicates(0.0),
                        Arbitraries.integers().between(0, 9),
                        segment,
                        query,
                        Arbitraries.integers().between(0, 3))
                .flatAs((r, otherMethod, methodDice, seg, q, pick) -> {
                    String method = methodDice < 8 ? r.method() : otherMethod;
                    String filled = seg.isEmpty() ? "x" : seg;
                    String path = r.template().replaceAll("\\{[^}]+}", filled);
                    Set<String> blame = new java.util.TreeSet<>();
                    if (!method.equals(r.method())) {
                        blame.add(method);
                        blame.add("method");
                    }
                    java.util.regex.Matcher names = PATH_PARAMETER.matcher(r.template());
                    while (names.find()) {
                        blame.add(names.group(1));
                        blame.add(filled);
                        blame.add(decode(filled));
                        if (filled.contains("%")) {
                            blame.add("URI");
                        }
                    }
                    if (!PATH_PARAMETER.matcher(r.template()).find()) {
                        blame.add(r.template());
                    }
                    StringBuilder queryText = new StringBuilder();
                    for (Map.Entry<String, String> pair : q) {
                        queryText
                                .append(queryText.length() == 0 ? "" : "&")
                                .append(encode(pair.getKey()))
                                .append('=')
                                .append(encode(pair.getValue()));
                        blame.add(asSent(pair.getKey()));
                        blame.add(asSent(pair.getValue()));
                    }
                    // The route the request reaches: another method may land on another route of the same path.
                    for (Route reached : routes) {
                        if (reached.template().equals(r.template())
                                && (reached.method().equals(method) || reached == r)) {
                            for (String required : reached.requiredQuery()) {
                                if (q.stream().noneMatch(pair -> pair.getKey().equals(required))) {
                                    blame.add(required);
                                }
                            }
                        }
                    }
                    if (path.length() + queryText.length() > 4_096) {
                        blame.add("URI");
                    }
                    String seed = seedFor(r.template(), pick);
                    return Arbitraries.oneOf(textual(seed), structural(seed)).map(body -> {
                        Set<String> all = new java.util.TreeSet<>(blame);
                        all.addAll(body.blame());
                        return new Request(method, path, queryText.toString(), body.text(), all);
                    });
                });
    }

    /**
     * The seed with a few edits to its text: the edit may land anywhere, so the error may name any of its fields, any
     * value it then holds, or the body itself when it is no longer JSON.
     */
    private static Arbitrary<Body> textual(String seed) {
        List<String> pointers = new ArrayList<>();
        collect(parse(seed), "", pointers);
        Set<String> blame = new java.util.TreeSet<>(List.of("JSON", "body", "content"));
        pointers.forEach(p -> blame.add(p.substring(p.lastIndexOf('/') + 1)));
        blame.addAll(values(parse(seed)));
        return Mutations.ofText(seed, 3).map(text -> {
            // The values as the server reads them (a lone surrogate goes out as '?'): it may name one it refuses.
            JsonNode sent = parse(asSent(text));
            Set<String> named = new java.util.TreeSet<>(blame);
            if (sent != null) {
                named.addAll(values(sent));
            }
            return new Body(text, named);
        });
    }

    /**
     * The seed with one field dropped or given a value of the wrong kind: the error names it, a field above it, the
     * new value, or one of the seed's values the server's state refuses (a model no longer deployed).
     */
    private static Arbitrary<Body> structural(String seed) {
        ObjectNode node = (ObjectNode) parse(seed);
        List<String> pointers = new ArrayList<>();
        collect(node, "", pointers);
        return Combinators.combine(
                        Arbitraries.of(pointers),
                        Arbitraries.of(
                                "null",
                                "1e400",
                                "-9223372036854775809",
                                "true",
                                "[]",
                                "{}",
                                "\"\"",
                                "\"../../link-out/x\"",
                                "\"/tmp/kiln-fuzz-escape\"",
                                "\"link-out\"",
                                "\"a\\u0000b\"",
                                "\"\\ud800\"",
                                "\"" + "x".repeat(70_000) + "\"",
                                "[".repeat(2_000) + "]".repeat(2_000),
                                "DROP"))
                .as((pointer, value) -> {
                    ObjectNode copy = node.deepCopy();
                    String parent = pointer.substring(0, pointer.lastIndexOf('/'));
                    String field = pointer.substring(pointer.lastIndexOf('/') + 1);
                    Set<String> blame =
                            new java.util.TreeSet<>(List.of(pointer.substring(1).split("/")));
                    blame.addAll(values(node));
                    JsonNode holder = parent.isEmpty() ? copy : copy.at(parent);
                    if (!(holder instanceof ObjectNode o)) {
                        return new Body(copy.toString(), blame);
                    }
                    if (value.equals("DROP")) {
                        o.remove(field);
                        return new Body(copy.toString(), blame);
                    }
                    if (value.length() > 1_000) {
                        blame.add("JSON");
                        blame.add("body");
                    }
                    if (value.startsWith("\"")) {
                        // A well-formed value the server cannot use (an id no model has) is named as given.
                        blame.add(parse(value).asText());
                    }
                    o.put(field, "\u0001");
                    return new Body(copy.toString().replace("\"\\u0001\"", value), blame);
                });
    }

    /**
     * The short text values of a seed (ids, names, files): the server's state may refuse them unchanged, as a 404 for
     * a model not deployed or a 409 for a training that still runs.
     */
    private static Set<String> values(JsonNode node) {
        Set<String> out = new java.util.TreeSet<>();
        if (node.isTextual() && node.asText().length() <= 64) {
            out.add(node.asText());
        }
        node.forEach(child -> out.addAll(values(child)));
        return out;
    }

    private static void collect(JsonNode node, String at, List<String> pointers) {
        if (node instanceof ObjectNode o) {
            o.fieldNames().forEachRemaining(f -> {
                pointers.add(at + "/" + f);
                collect(o.get(f), at + "/" + f, pointers);
            });
        }
    }

    @Property(tries = 150)
    void everyAnswerIsBelow500AndEveryErrorNamesWhatWasWrong(@ForAll("requests") Request request)
            throws IOException, InterruptedException {
        HttpResponse<InputStream> response = send(request);
        int status = response.statusCode();
        String contentType = response.headers().firstValue("Content-Type").orElse("");
        String body;
        try (InputStream in = response.body()) {
            body = contentType.startsWith("text/event-stream")
                    ? ""
                    : new String(in.readNBytes(1 << 20), StandardCharsets.UTF_8);
        }
        assertThat(status).as("%s answered %s", request, abbreviate(body)).isLessThan(500);
        if (status >= 400) {
            JsonNode error = parse(body);
            assertThat(error).as("%s answered %s %s", request, status, body).isNotNull();
            Set<String> fields = new java.util.TreeSet<>();
            error.fieldNames().forEachRemaining(fields::add);
            assertThat(fields).as(body).isEqualTo(ERROR_FIELDS);
            assertThat(error.get("code").asInt()).isEqualTo(status);
            assertThat(error.get("details").asText()).as(body).isNotBlank();
            assertThat(error.get("id").asText()).isNotBlank();
            assertThat(namesSomethingChanged(error.get("details").asText(), request.blame()))
                    .as("%s answered %s %s, which names none of what was changed", request, status, abbreviate(body))
                    .isTrue();
        } else if (status / 100 == 2
                && request.method().equals("POST")
                && request.path().startsWith("/api/v1/")
                && !request.path().startsWith("/api/v1/task/")) {
            acknowledged.add(parse(body).get("training_id").asText());
        }
        assertThat(snapshot(sentinel)).as("the sentinel after %s", request).isEqualTo(sentinelBefore);
        assertThat(Path.of("/tmp/kiln-fuzz-escape")).doesNotExist();
        try (Stream<Path> top = Files.list(root)) {
            assertThat(top.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("sentinel", "server");
        }
    }

    /** After the requests: the journal lists exactly the trainings whose submissions were acknowledged. */
    @AfterProperty
    void theJournalHoldsExactlyTheAcknowledgedTrainings() {
        Set<String> listed = new java.util.TreeSet<>();
        int offset = 0;
        while (true) {
            JsonNode page = server.http()
                    .get("/management/trainings?limit=100&offset=" + offset)
                    .json();
            JsonNode items = page.get("trainings");
            items.forEach(t -> listed.add(t.get("training_id").asText()));
            offset += items.size();
            if (items.isEmpty() || offset >= page.get("total").asLong()) {
                break;
            }
        }
        assertThat(listed).isEqualTo(new java.util.TreeSet<>(acknowledged));
    }

    /** The request sent before the one now being sent: a dropped connection may be its doing. */
    private static volatile Request previous;

    /**
     * Sends {@code r}. A connection closed without an answer fails the property with what may explain it: the request
     * sent before, and whether the server still answers {@code /health} on a new connection.
     */
    private static HttpResponse<InputStream> send(Request r) throws IOException, InterruptedException {
        Request before = previous;
        previous = r;
        try {
            return exchange(r);
        } catch (IOException e) {
            if (refusedAtTheRequestLine(r)) {
                // The server answers 414 and closes with the rest of the URI unread: the reset that close sends can
                // reach the client before it has read the answer. The answer itself is what is checked: ask again.
                for (int again = 0; again < 5; again++) {
                    try {
                        return exchange(r);
                    } catch (IOException lost) {
                        e.addSuppressed(lost);
                    }
                }
            }
            String health;
            try {
                health = "/health on a new connection answered "
                        + HttpClient.newHttpClient()
                                .send(
                                        HttpRequest.newBuilder(server.server()
                                                        .baseUri()
                                                        .resolve("/health"))
                                                .timeout(Duration.ofSeconds(10))
                                                .build(),
                                        HttpResponse.BodyHandlers.ofString())
                                .statusCode();
            } catch (IOException f) {
                health = "/health on a new connection failed too: " + f;
            }
            throw new AssertionError(
                    r + " got no answer (" + e + "); the request before it was " + before + "; " + health, e);
        }
    }

    /** Whether the URI is past the server's 8 KiB, so that the server refuses it before reading the rest. */
    private static boolean refusedAtTheRequestLine(Request r) {
        return r.path().length() + r.query().length() > 8 * 1024;
    }

    private static HttpResponse<InputStream> exchange(Request r) throws IOException, InterruptedException {
        URI uri = server.server().baseUri().resolve(r.path() + (r.query().isEmpty() ? "" : "?" + r.query()));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60));
        // A URI past the server's 8 KiB is refused (414) at the request line, before any body is read; a body sent
        // with it would still be in flight when the server closes, and the reset could take the answer with it.
        HttpRequest.BodyPublisher publisher = r.method().equals("GET") || refusedAtTheRequestLine(r)
                ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(r.body());
        b.header("Content-Type", "application/json").method(r.method(), publisher);
        return server.http().client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
    }

    /**
     * Whether {@code details} names one of the changed things: as given, as printed with its control characters
     * escaped, or by its first characters when long; a name of one or two characters only as a word of its own.
     */
    static boolean namesSomethingChanged(String details, Set<String> blame) {
        String text = details.toLowerCase(java.util.Locale.ROOT);
        for (String item : blame) {
            if (item.isEmpty()) {
                continue;
            }
            for (String form : List.of(item, NoFollowPaths.printable(item))) {
                String f = form.toLowerCase(java.util.Locale.ROOT);
                String probe = f.length() > 24 ? f.substring(0, 24) : f;
                if (probe.length() <= 2 ? containsAsWord(text, probe) : text.contains(probe)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether {@code word} occurs in {@code text} with no letter or digit right before or after it. */
    private static boolean containsAsWord(String text, String word) {
        for (int at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
            int end = at + word.length();
            boolean before = at == 0 || !Character.isLetterOrDigit(text.charAt(at - 1));
            boolean after = end == text.length() || !Character.isLetterOrDigit(text.charAt(end));
            if (before && after) {
                return true;
            }
        }
        return false;
    }

    /** {@code s} at most 200 characters long and with its control characters escaped, for a failure message. */
    private static String abbreviate(String s) {
        String shown = s.length() > 200 ? s.substring(0, 200) + "…(" + s.length() + " chars)" : s;
        return NoFollowPaths.printable(shown);
    }

    /** {@code s} as the server reads it once sent as UTF-8: a lone surrogate becomes '?'. */
    private static String asSent(String s) {
        return new String(s.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
    }

    private static String decode(String s) {
        try {
            return java.net.URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static JsonNode parse(String json) {
        try {
            return KilnJson.strict().readTree(json);
        } catch (IOException e) {
            return null;
        }
    }

    private static Map<Path, String> snapshot(Path dir) throws IOException {
        Map<Path, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                files.put(
                        p,
                        Files.isSymbolicLink(p)
                                ? "-> " + Files.readSymbolicLink(p)
                                : Files.isRegularFile(p) ? Files.readString(p) : "dir");
            }
        }
        return files;
    }
}
