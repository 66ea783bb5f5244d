package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.config.KilnConfig;
import dev.kiln.json.KilnJson;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.server.KilnServer;
import dev.kiln.server.testing.KeywordClassifier;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainerFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A keep-alive HTTP/1.1 connection stays open across many requests, answers and errors alike: every answer is framed
 * (a {@code Content-Length} or chunked body), none says {@code Connection: close}, and the next request on the same
 * socket is answered. A load generator that reuses connections depends on this; a server that closed a reused
 * connection would make it fail with an answer of no bytes.
 */
class KeepAliveTest {
    private static final String PREDICT = "/api/v1/task/text-classification";

    @TempDir
    Path dir;

    private TestServer server;

    @BeforeEach
    void start() {
        KilnConfig config = TestServer.config(dir, "");
        ModuleRegistry modules = new ModuleRegistry(List.of(new SampleModule(), new KeywordClassifier()));
        server = TestServer.start(KilnServer.builder(config)
                .port(0)
                .manager(ModelManager.fromConfig(config, TrainerFactory.discover(), modules)));
        String train = "{\"model_name\":\"m\",\"parameters\":{\"training_data\":{\"data_stream\":{\"data\":["
                + "{\"text\":\"win money now\",\"label\":\"spam\"},{\"text\":\"lunch at noon\",\"label\":\"ham\"}"
                + "]}}}}";
        var reply = server.http().post("/api/v1/TextClassificationTaskKeywordClassifierTrain", train);
        assertThat(reply.status()).as(reply.toString()).isEqualTo(200);
        server.awaitState(reply.json().get("training_id").asText(), "COMPLETED");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void manySequentialPredictionsAreAllAnsweredOnOneConnection() throws IOException {
        try (Connection c = new Connection(server.server().port())) {
            for (int i = 0; i < 500; i++) {
                Answer a = c.exchange(post(PREDICT, "{\"model_id\":\"m\",\"inputs\":\"win money " + i + "\"}"));
                assertThat(a.status()).as("request %d: %s", i, a).isEqualTo(200);
                assertThat(KilnJson.strict().readTree(a.body()).get("results")).hasSize(2);
            }
        }
    }

    @Test
    void errorAnswersKeepTheConnectionOpenToo() throws IOException {
        try (Connection c = new Connection(server.server().port())) {
            for (int round = 0; round < 20; round++) {
                assertThat(c.exchange(post(PREDICT, "{\"model_id\":\"nope\",\"inputs\":\"x\"}"))
                                .status())
                        .isEqualTo(404);
                assertThat(c.exchange(post(PREDICT, "{\"model_id\":")).status()).isEqualTo(400);
                assertThat(c.exchange(post(PREDICT, "{\"model_id\":\"m\",\"inputs\":3}"))
                                .status())
                        .isEqualTo(400);
                assertThat(c.exchange(get("/management/trainings?training_id=unknown"))
                                .status())
                        .isEqualTo(404);
                assertThat(c.exchange(get("/no/such/route")).status()).isEqualTo(404);
                assertThat(c.exchange(request("POST", PREDICT, "text/plain", "hello"))
                                .status())
                        .isEqualTo(415);
                assertThat(c.exchange(get("/health")).status()).isEqualTo(200);
                assertThat(c.exchange(post(PREDICT, "{\"model_id\":\"m\",\"inputs\":\"lunch\"}"))
                                .status())
                        .isEqualTo(200);
            }
        }
    }

    private static String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n";
    }

    private static String post(String path, String json) {
        return request("POST", path, "application/json", json);
    }

    private static String request(String method, String path, String type, String body) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return method + " " + path + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: " + type + "\r\nContent-Length: "
                + bytes.length + "\r\n\r\n" + body;
    }

    /** One answer: its status, its header block and its body. */
    private record Answer(int status, String headers, String body) {}

    /** One socket, requests written one after another, each answer read by its framing. */
    private static final class Connection implements AutoCloseable {
        private final Socket socket;
        private final OutputStream out;
        private final InputStream in;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setSoTimeout(30_000);
            out = socket.getOutputStream();
            in = new BufferedInputStream(socket.getInputStream());
        }

        Answer exchange(String request) throws IOException {
            out.write(request.getBytes(StandardCharsets.UTF_8));
            out.flush();
            String status = line();
            StringBuilder headers = new StringBuilder();
            long length = -1;
            boolean chunked = false;
            for (String h = line(); !h.isEmpty(); h = line()) {
                headers.append(h).append('\n');
                String lower = h.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(h.substring(15).trim());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                }
            }
            assertThat(headers.toString().toLowerCase(Locale.ROOT))
                    .as("the answer to %s", request.lines().findFirst().orElse(""))
                    .doesNotContain("connection: close");
            assertThat(length >= 0 || chunked)
                    .as(
                            "the answer to %s is framed: %s",
                            request.lines().findFirst().orElse(""), headers)
                    .isTrue();
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            if (chunked) {
                for (int n = Integer.parseInt(line().trim(), 16); n > 0; n = Integer.parseInt(line().trim(), 16)) {
                    body.write(in.readNBytes(n));
                    line();
                }
                line();
            } else {
                body.write(in.readNBytes((int) length));
            }
            return new Answer(
                    Integer.parseInt(status.substring(9, 12)),
                    headers.toString(),
                    body.toString(StandardCharsets.UTF_8));
        }

        private String line() throws IOException {
            StringBuilder sb = new StringBuilder();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("The server closed the connection; read so far: " + sb);
                }
                if (c != '\r') {
                    sb.append((char) c);
                }
            }
            return sb.toString();
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
