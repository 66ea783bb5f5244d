package dev.kiln.cli.grpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.KilnVersion;
import dev.kiln.cli.CliRun;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that shares no code with Kiln: Debian's {@code protoc} compiles the {@code .proto} files {@code kiln protos}
 * writes, and a Python script on Debian's {@code python3-grpcio} trains a text classifier on a real server, follows it
 * to COMPLETED and predicts with it. Without those packages the test is skipped with a message, unless
 * {@code KILN_REQUIRE_PYTHON_GRPC=1} (as CI sets) makes their absence a failure.
 */
class PythonClientTest {
    static final String REQUIRE_ENV = "KILN_REQUIRE_PYTHON_GRPC";
    static final String PYTHON = "/usr/bin/python3";

    @TempDir
    Path dir;

    @Test
    void aPythonClientCompiledFromKilnProtosTrainsFollowsAndPredicts() throws Exception {
        requireTools();
        Path protos = dir.resolve("protos");
        CliRun.Result written = new CliRun(dir, false).run("protos", "--out", protos.toString());
        assertThat(written.exitCode()).as(written.toString()).isZero();
        assertThat(written.out()).contains("caikit.runtime.Kiln.proto", "caikit_data_model.runtime.proto");

        Path generated = Files.createDirectories(dir.resolve("generated"));
        List<String> protoc = new ArrayList<>(List.of("protoc", "-I", protos.toString(), "--python_out=" + generated));
        try (Stream<Path> files = Files.list(protos)) {
            files.map(Path::toString).sorted().forEach(protoc::add);
        }
        Run compiled = run(protoc, 60);
        assertThat(compiled.code()).as("protoc: " + compiled.err()).isZero();

        String yaml = "runtime:\n  local_models_dir: " + dir.resolve("local-models") + "\n";
        try (TestServer server = TestServer.start(dir.resolve("server"), yaml, Map.of())) {
            Path script = dir.resolve("caikit_client.py");
            try (InputStream in = getClass().getResourceAsStream("/grpc/caikit_client.py")) {
                Files.copy(in, script);
            }
            Run client = run(
                    List.of(
                            PYTHON,
                            script.toString(),
                            Integer.toString(server.server().grpcPort()),
                            generated.toString()),
                    240);
            assertThat(client.code()).as("python client: " + client.err()).isZero();
            JsonNode seen = KilnJson.strict().readTree(client.out());
            assertThat(seen.get("model_name").asText()).isEqualTo("py-spam");
            assertThat(seen.get("state").asText()).isEqualTo("COMPLETED");
            assertThat(seen.get("has_completion").asBoolean()).isTrue();
            assertThat(server.status(seen.get("training_id").asText())
                            .get("state")
                            .asText())
                    .isEqualTo("COMPLETED");
            JsonNode results = seen.get("results");
            assertThat(results).hasSize(2);
            assertThat(results.get(0).get("label").asText()).isEqualTo("spam");
            assertThat(results.get(0).get("score").asDouble())
                    .isGreaterThan(results.get(1).get("score").asDouble());
            assertThat(seen.get("missing").asText()).isEqualTo("NOT_FOUND");
            assertThat(seen.get("runtime_version").asText()).isEqualTo(KilnVersion.get());
            assertThat(seen.get("packages").has("TextClassifier")).isTrue();
        }
    }

    private static void requireTools() throws Exception {
        String missing = null;
        if (run(List.of("protoc", "--version"), 30).code() != 0) {
            missing = "protoc (Debian's protobuf-compiler)";
        } else if (run(List.of(PYTHON, "-c", "import grpc, google.protobuf"), 30)
                        .code()
                != 0) {
            missing = "Python's grpc module (Debian's python3-grpcio and python3-protobuf)";
        }
        if (missing != null) {
            if ("1".equals(System.getenv(REQUIRE_ENV))) {
                fail(missing + " is missing and " + REQUIRE_ENV + "=1");
            }
            assumeTrue(false, missing + " is missing: skipping the cross-language gRPC test");
        }
    }

    private record Run(int code, String out, String err) {}

    private static Run run(List<String> command, int timeoutSeconds) throws InterruptedException {
        Process p;
        try {
            p = new ProcessBuilder(command).start();
        } catch (IOException e) {
            return new Run(127, "", e.getMessage());
        }
        try {
            p.getOutputStream().close();
            var out = p.getInputStream();
            var err = p.getErrorStream();
            var outText = new java.util.concurrent.CompletableFuture<String>();
            var errText = new java.util.concurrent.CompletableFuture<String>();
            new Thread(() -> outText.complete(read(out))).start();
            new Thread(() -> errText.complete(read(err))).start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Run(-1, "", String.join(" ", command) + " did not end in " + timeoutSeconds + "s");
            }
            return new Run(p.exitValue(), outText.join(), errText.join());
        } catch (IOException e) {
            return new Run(127, "", e.getMessage());
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
