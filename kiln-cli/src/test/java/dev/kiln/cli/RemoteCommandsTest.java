package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.cli.context.ServerOptions;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * train, status, list, cancel, logs and modules with {@code --server}, against a real Kiln server on port 0 in this
 * JVM. The CLI works in its own directory, apart from the server's data and model directories, so paths that reach
 * the server are the server's.
 */
class RemoteCommandsTest {
    @TempDir
    Path dir;

    TestServer server;
    String url;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        server = TestServer.start(dir.resolve("server"), "");
        url = server.server().baseUri().toString();
        cli = new CliRun(Files.createDirectories(dir.resolve("cli")), false);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** Runs a command line against the server. */
    private CliRun.Result remote(String... args) {
        return remote(cli, args);
    }

    private CliRun.Result remote(CliRun on, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.add("--server");
        all.add(url);
        return on.run(all.toArray(String[]::new));
    }

    @Test
    void trainRunsAtTheServerReadingDataRelativeToItsDataDirectory() {
        server.dataFile("records.jsonl", 5);
        CliRun.Result r =
                remote("train", "SampleModule", "--data", "records.jsonl", "-p", "steps=2", "--model-name", "m");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        String id = r.out().split(" ")[1];
        Path saved = server.dir().resolve("models").resolve(id).resolve("m");
        assertThat(r.out())
                .startsWith("Training " + id + " COMPLETED after")
                .contains("module         SampleModule")
                .contains("trainer        default")
                .contains("progress       epoch 2/2")
                .contains("loss           0.5000")
                .contains("saved to       " + saved);
        assertThat(saved).isDirectory();
        JsonNode data = server.http()
                .get("/management/trainings/" + id)
                .json()
                .get("parameters")
                .get("training_data");
        assertThat(data.get("file").get("filename").asText())
                .isEqualTo(server.data().resolve("records.jsonl").toString());
        assertThat(cli.workingDir().resolve("kiln-home"))
                .as("no local run records")
                .doesNotExist();
    }

    @Test
    void trainJsonHasTheSameFieldsAsLocally() {
        CliRun.Result r = remote("train", "SampleModule", "-p", "steps=3", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        JsonNode json = r.json();
        String id = json.get("training_id").asText();
        assertThat(json.get("state").asText()).isEqualTo("COMPLETED");
        assertThat(json.get("module").asText()).isEqualTo("SampleModule");
        assertThat(json.get("trainer").asText()).isEqualTo("default");
        // Without --model-name the model is named after the module; the server appends it to <output_dir>/<id>.
        assertThat(json.get("save_path").asText())
                .isEqualTo(server.dir()
                        .resolve("models")
                        .resolve(id)
                        .resolve("SampleModule")
                        .toString());
        assertThat(json.get("metrics").get("loss").asDouble()).isEqualTo(1.0 / 3);
        assertThat(json.get("progress").get("step").asInt()).isEqualTo(3);
        assertThat(json.get("errors")).isEmpty();
        assertThat(r.err()).isEmpty();
    }

    @Test
    void savePathIsADirectoryUnderTheServersOutputDirectory() {
        CliRun.Result r = remote("train", "SampleModule", "--save-path", "team", "--model-name", "m", "--json");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.OK);
        String id = r.json().get("training_id").asText();
        assertThat(r.json().get("save_path").asText())
                .isEqualTo(server.dir()
                        .resolve("models/team")
                        .resolve(id)
                        .resolve("m")
                        .toString());
    }

    @Test
    void anErroredTrainingExitsWithTheErroredCodeAndTheModulesError() {
        CliRun.Result r = remote("train", "SampleModule", "-p", "batch_size=999");

        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.ERRORED);
        assertThat(r.out())
                .containsPattern("Training \\S+ ERRORED after")
                .contains("error          java.lang.IllegalArgumentException: Batch size of 999 is not allowed!");
    }

    @Test
    void theProgressBarFollowsTheEventStream() throws Exception {
        Path gate = server.gate("bar");
        StringWriter err = new StringWriter();
        List<String> args =
                List.of("train", "SampleModule", "-p", "steps=2", "-p", "gate_file=" + gate, "--server", url);
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> KilnCli.run(
                cli.watched().environment(),
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                args.toArray(String[]::new)));

        Awaitility.await().atMost(TestServer.WAIT).until(() -> err.toString().contains("epoch 2/2"));
        TestServer.open(gate);

        assertThat(exit.get(1, TimeUnit.MINUTES)).isEqualTo(ExitCodes.OK);
        assertThat(err.toString())
                .startsWith("\rSampleModule ")
                .contains("[========================] epoch 2/2")
                .contains("loss 0.5000")
                .endsWith("\r");
    }

    @Test
    void detachReturnsAtOnceAndStatusListAndCancelReachTheTraining() {
        CliRun.Result started = remote(
                "train", "SampleModule", "--detach", "-p", "steps=1", "-p", "gate_file=" + server.gate("detach"));
        assertThat(started.exitCode()).as(started.toString()).isZero();
        assertThat(started.out())
                .startsWith("Started training ")
                .contains(" at " + url)
                .contains("kiln status ")
                .contains("kiln cancel ");
        String id = started.out().split(" ")[2];
        server.awaitState(id, "RUNNING");

        CliRun.Result status = remote("status", id);
        assertThat(status.exitCode()).as(status.toString()).isZero();
        assertThat(status.out()).startsWith("Training " + id + " RUNNING for").contains("progress       epoch 1/1");
        assertThat(remote("status", id, "--json").json().get("state").asText()).isEqualTo("RUNNING");

        CliRun.Result list = remote("list");
        assertThat(list.exitCode()).isZero();
        assertThat(list.out()).startsWith("TRAINING ID").contains(id).contains("RUNNING");

        CliRun.Result cancel = remote("cancel", id);
        assertThat(cancel.exitCode()).as(cancel.toString()).isZero();
        assertThat(cancel.out()).contains("Cancelled training " + id);
        assertThat(server.status(id).get("state").asText()).isEqualTo("CANCELED");

        CliRun.Result again = remote("cancel", id);
        assertThat(again.exitCode()).isZero();
        assertThat(again.out()).contains("Training " + id + " already ended CANCELED; nothing to cancel");
    }

    @Test
    void listShowsTheServersTrainingsNewestFirstWithTheirErrors() {
        String first = remote("train", "SampleModule", "--json")
                .json()
                .get("training_id")
                .asText();
        String second = remote("train", "SampleModule", "-p", "batch_size=999", "--json")
                .json()
                .get("training_id")
                .asText();

        JsonNode json = remote("list", "--json").json();

        assertThat(json).hasSize(2);
        assertThat(json.get(0).get("training_id").asText()).isEqualTo(second);
        assertThat(json.get(0).get("state").asText()).isEqualTo("ERRORED");
        assertThat(json.get(0).get("errors").get(0).get("kind").asText()).isEqualTo("EXCEPTION");
        assertThat(json.get(0).get("errors").get(0).get("message").asText())
                .isEqualTo("Batch size of 999 is not allowed!");
        assertThat(json.get(1).get("training_id").asText()).isEqualTo(first);
        assertThat(json.get(1).get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void logsShowTheLifecycleProgressAndErrorsAsTheServerRecordedThem() {
        String ok = remote("train", "SampleModule", "-p", "steps=2", "--json")
                .json()
                .get("training_id")
                .asText();
        CliRun.Result log = remote("logs", ok);
        assertThat(log.exitCode()).as(log.toString()).isZero();
        assertThat(log.out())
                .contains("SUBMITTED module=SampleModule trainer=default")
                .contains("STARTED")
                .contains("PROGRESS 1/2 loss=1.0")
                .contains("PROGRESS 2/2 loss=0.5")
                .contains(
                        "COMPLETED save_path=" + server.dir().resolve("models").resolve(ok));
        assertThat(log.out().indexOf("PROGRESS 1/2")).isLessThan(log.out().indexOf("PROGRESS 2/2"));

        String failed = remote("train", "SampleModule", "-p", "batch_size=999", "--json")
                .json()
                .get("training_id")
                .asText();
        assertThat(remote("logs", failed).out())
                .contains("ERRORED")
                .contains("EXCEPTION java.lang.IllegalArgumentException: Batch size of 999 is not allowed!")
                .contains("at dev.kiln.testing.SampleModule.train");
        JsonNode json = remote("logs", failed, "--json").json();
        assertThat(json.get("training_id").asText()).isEqualTo(failed);
        assertThat(json.get("log").asText()).contains("ERRORED");
    }

    @Test
    void modulesAreTheServers() {
        CliRun.Result r = remote("modules", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        JsonNode sample = null;
        for (JsonNode m : r.json()) {
            if (m.get("name").asText().equals("SampleModule")) {
                sample = m;
            }
        }
        assertThat(sample).as(r.out()).isNotNull();
        assertThat(sample.get("task").asText()).isEqualTo("SampleTask");
        assertThat(sample.get("parameters").findValuesAsText("name")).contains("batch_size", "gate_file");
    }

    @Test
    void anUnknownIdIsNotFoundWithTheServersMessage() {
        for (String command : List.of("status", "logs", "cancel")) {
            CliRun.Result r = remote(command, "no-such-training");
            assertThat(r.exitCode()).as(command).isEqualTo(ExitCodes.NOT_FOUND);
            assertThat(r.err()).as(command).isEqualTo("kiln: Training no-such-training was not found\n");
        }
        JsonNode json = remote("status", "no-such-training", "--json").json();
        assertThat(json.get("error").get("code").asText()).isEqualTo("NOT_FOUND");
        assertThat(json.get("error").get("message").asText()).isEqualTo("Training no-such-training was not found");
    }

    @Test
    void anUnknownModuleIsNotFoundListingTheServersModules() {
        CliRun.Result r = remote("train", "NoSuchModule");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(r.err())
                .contains("The server at " + url + " has no module 'NoSuchModule'")
                .contains("SampleModule");
    }

    @Test
    void aParameterTheServerRefusesIsAUsageErrorWithTheServersMessage() throws IOException {
        Files.writeString(cli.workingDir().resolve("params.json"), "{\"no_such_param\": 1}");
        CliRun.Result unknown = remote("train", "SampleModule", "--params", "params.json");
        assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(unknown.err()).startsWith("kiln: Unknown parameter 'no_such_param' for module SampleModule");

        CliRun.Result outside = remote("train", "SampleModule", "--data", "../outside.jsonl");
        assertThat(outside.exitCode()).as(outside.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(outside.err())
                .contains("training_data")
                .contains("'../outside.jsonl'")
                .contains("escapes the data directory");

        CliRun.Result json = remote("train", "SampleModule", "--params", "params.json", "--json");
        assertThat(json.json().get("error").get("code").asText()).isEqualTo("INVALID_ARGUMENT");

        assertThat(server.http()
                        .get("/management/trainings")
                        .json()
                        .get("total")
                        .asLong())
                .as("a refused request stores nothing")
                .isZero();
    }

    @Test
    void aValueOfTheWrongTypeIsRefusedBeforeItIsSent() {
        CliRun.Result r = remote("train", "SampleModule", "-p", "batch_size=many");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--param batch_size=many: expected an integer");
    }

    @Test
    void optionsOnlyALocalTrainingTakesAreUsageErrors() {
        CliRun.Result subprocess = remote("train", "SampleModule", "--subprocess");
        assertThat(subprocess.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(subprocess.err()).contains("--subprocess applies to trainings on this machine");

        CliRun.Result local = cli.run("train", "SampleModule", "--detach");
        assertThat(local.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(local.err()).contains("--detach needs --server");
        assertThat(server.http()
                        .get("/management/trainings")
                        .json()
                        .get("total")
                        .asLong())
                .isZero();
    }

    @Test
    void anUnreachableServerIsUnavailableNamingItsUrl() throws IOException {
        int port;
        try (ServerSocket free = new ServerSocket(0)) {
            port = free.getLocalPort();
        }
        String nowhere = "http://127.0.0.1:" + port;
        for (List<String> args :
                List.of(List.of("list"), List.of("status", "some-id"), List.of("train", "SampleModule"))) {
            List<String> all = new ArrayList<>(args);
            all.addAll(List.of("--server", nowhere));
            CliRun.Result r = cli.run(all.toArray(String[]::new));
            assertThat(r.exitCode()).as(args.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
            assertThat(r.err()).as(args.toString()).contains("Cannot reach the Kiln server at " + nowhere);
        }
    }

    @Test
    void aMalformedServerUrlIsAUsageError() {
        CliRun.Result r = cli.run("list", "--server", "localhost:8080");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.err()).contains("--server must be an http:// or https:// URL");

        CliRun.Result env = cli.withEnv(Map.of(ServerOptions.SERVER_ENV, "ftp://example.org"))
                .run("list");
        assertThat(env.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(env.err()).contains("KILN_SERVER must be an http:// or https:// URL");
    }

    @Test
    void kilnServerNamesTheServerWhenNoOptionDoes() {
        String id = remote("train", "SampleModule", "--json")
                .json()
                .get("training_id")
                .asText();
        CliRun.Result r = cli.withEnv(Map.of(ServerOptions.SERVER_ENV, url)).run("list", "--json");
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.json().findValuesAsText("training_id")).containsExactly(id);
    }

    @Test
    void theTokenComesFromTheOptionOrTheEnvironment() {
        server.close();
        server = TestServer.start(dir.resolve("secured"), """
                runtime:
                  http:
                    auth_token: s3cret
                """);
        url = server.server().baseUri().toString();

        CliRun.Result none = remote("list");
        assertThat(none.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(none.err())
                .contains("This server needs a bearer token")
                .contains("--token")
                .contains("KILN_AUTH_TOKEN");
        CliRun.Result wrong = remote("list", "--token", "guess");
        assertThat(wrong.exitCode()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(wrong.err()).contains("The bearer token is not valid for this server");

        assertThat(remote("list", "--token", "s3cret").exitCode()).isZero();
        CliRun withEnv = cli.withEnv(Map.of(ServerOptions.TOKEN_ENV, "s3cret"));
        CliRun.Result trained = remote(withEnv, "train", "SampleModule", "-p", "steps=1", "--json");
        assertThat(trained.exitCode()).as(trained.toString()).isZero();
        assertThat(trained.json().get("state").asText()).isEqualTo("COMPLETED");
    }

    @Test
    void detachJsonIsTheTrainingAsItStarted() {
        CliRun.Result r =
                remote("train", "SampleModule", "--detach", "--json", "-p", "gate_file=" + server.gate("json"));
        assertThat(r.exitCode()).as(r.toString()).isZero();
        String id = r.json().get("training_id").asText();
        assertThat(r.json().get("state").asText()).isIn("QUEUED", "RUNNING");
        assertThat(r.json().get("module").asText()).isEqualTo("SampleModule");
        assertThat(server.status(id).get("state").asText()).isIn("QUEUED", "RUNNING");
        TestServer.open(server.gate("json"));
        server.awaitState(id, "COMPLETED");
    }

    @Test
    void aServerThatStopsWhileTrainIsFollowingIsUnavailableAndSaysHowToAskAgain() {
        CompletableFuture<CliRun.Result> run = CompletableFuture.supplyAsync(
                () -> remote("train", "SampleModule", "-p", "gate_file=" + server.gate("stop")));
        Awaitility.await()
                .atMost(TestServer.WAIT)
                .until(() -> server.http()
                                .get("/management/trainings?state=RUNNING")
                                .json()
                                .get("total")
                                .asLong()
                        == 1);

        server.close();

        CliRun.Result r = run.orTimeout(1, TimeUnit.MINUTES).join();
        assertThat(r.exitCode()).as(r.toString()).isEqualTo(ExitCodes.UNAVAILABLE);
        assertThat(r.err())
                .startsWith("kiln: Lost track of training ")
                .contains("Ask about it again with: kiln status ")
                .contains("--server " + url);
    }
}
