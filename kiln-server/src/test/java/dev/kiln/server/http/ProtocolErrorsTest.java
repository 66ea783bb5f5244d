package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.TestServer;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Errors Jetty raises before any route runs still come back in Kiln's JSON error shape. */
class ProtocolErrorsTest {
    @TempDir
    Path tmp;

    private TestServer server;
    private URI uri;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "");
        uri = server.server().baseUri();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private RawHttp.Answer get(String target, String version, String extraHeaders) throws Exception {
        return RawHttp.send(
                uri,
                "GET " + target + " " + version + "\r\nHost: localhost\r\n" + extraHeaders
                        + "Connection: close\r\n\r\n",
                null);
    }

    private static void assertKilnError(RawHttp.Answer answer, int status, String named) throws Exception {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.headers().toLowerCase(java.util.Locale.ROOT)).contains("content-type: application/json");
        JsonNode json = KilnJson.strict().readTree(answer.body());
        assertThat(json.get("code").asInt()).isEqualTo(status);
        assertThat(json.get("details").asText()).contains(named);
        assertThat(json.get("id").asText()).hasSize(36);
        assertThat(json.size()).isEqualTo(3);
    }

    @Test
    void aTrainingIdTooLongForTheUriIs414Json() throws Exception {
        String id = "x".repeat(10 * 1024);
        assertKilnError(get("/api/v1/TrainingStatus?training_id=" + id, "HTTP/1.1", ""), 414, "URI is too long");
    }

    /**
     * The server closes the connection after a request it could not read; a client that keeps connections open must
     * be told, or it sends its next request down that connection and gets no answer.
     */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/TrainingStatus?training_id=%s", "/api/v1/%%zz%s", "/health%s HTTP/1.7"})
    void anAnswerToARequestThatCannotBeReadSaysTheConnectionCloses(String target) throws Exception {
        String line = target.formatted(target.contains("training_id") ? "x".repeat(10 * 1024) : "");
        String request = "GET " + line + (line.contains(" HTTP/") ? "" : " HTTP/1.1") + "\r\nHost: localhost\r\n\r\n";
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertThat(answer.status()).isBetween(400, 505);
            assertThat(answer.headers().toLowerCase(java.util.Locale.ROOT)).contains("connection: close");
            assertThat(socket.getInputStream().read())
                    .as("the connection closed")
                    .isEqualTo(-1);
        }
    }

    @Test
    void aRequestThatWasReadKeepsItsConnection() throws Exception {
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(60_000);
            for (String path : List.of("/api/v1/nope", "/health")) {
                socket.getOutputStream()
                        .write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
                                .getBytes(StandardCharsets.ISO_8859_1));
                socket.getOutputStream().flush();
                RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
                assertThat(answer.headers().toLowerCase(java.util.Locale.ROOT)).doesNotContain("connection: close");
            }
        }
    }

    @Test
    void anEncodedNulInThePathIs400Json() throws Exception {
        assertKilnError(get("/api/v1/a%00b", "HTTP/1.1", ""), 400, "malformed");
    }

    @Test
    void badPercentEncodingInThePathIs400Json() throws Exception {
        assertKilnError(get("/api/v1/%zz", "HTTP/1.1", ""), 400, "malformed");
    }

    @Test
    void aHugeHeaderIs431Json() throws Exception {
        assertKilnError(get("/health", "HTTP/1.1", "X-Big: " + "y".repeat(64 * 1024) + "\r\n"), 431, "headers");
    }

    @Test
    void anUnknownHttpVersionIs505Json() throws Exception {
        assertKilnError(get("/health", "HTTP/1.7", ""), 505, "HTTP version");
    }
}
