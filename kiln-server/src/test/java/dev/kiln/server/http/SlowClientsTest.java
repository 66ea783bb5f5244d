package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.TestServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Clients that stall in the middle of a request neither starve the server (health and status keep answering while
 * hundreds of them wait) nor keep their connections: the server cuts them off after the configured time, answering
 * in Kiln's JSON error shape where it still can.
 */
class SlowClientsTest {
    private static final int STALLED = 300;
    private static final Duration CEILING = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    private TestServer server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private void start(String http) {
        server = TestServer.start(tmp, "runtime: {http: {" + http + "}}");
    }

    private Socket open() throws IOException {
        URI uri = server.server().baseUri();
        Socket s = new Socket(uri.getHost(), uri.getPort());
        s.setSoTimeout((int) CEILING.toMillis());
        sockets.add(s);
        return s;
    }

    /** Sends the headers of a training request declaring a 1000-byte body, then part of the body, and stalls. */
    private Socket stallMidBody() throws IOException {
        Socket s = open();
        OutputStream out = s.getOutputStream();
        out.write(("POST " + TestServer.SAMPLE_ROUTE + " HTTP/1.1\r\nHost: localhost\r\n"
                        + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"model_name\": \"slow")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return s;
    }

    private Http.Reply get(String path) {
        Http http = server.http();
        return http.send(http.request(path).timeout(Duration.ofSeconds(10)).GET());
    }

    private static boolean closedByServer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            while (in.read() != -1) {
                // the error answer, if any, comes before the end of the stream
            }
            return true;
        } catch (IOException e) {
            return true; // reset by the server
        }
    }

    @Test
    void healthAndStatusAnswerWhileHundredsOfClientsStallMidBody() throws Exception {
        start("idle_timeout_seconds: 600, request_header_timeout_seconds: 600");
        for (int i = 0; i < STALLED; i++) {
            stallMidBody();
        }
        for (int i = 0; i < 3; i++) {
            assertThat(get("/health").status()).isEqualTo(200);
            assertThat(get("/management/trainings").status()).isEqualTo(200);
        }
        Http.Reply submitted = server.http()
                .send(server.http()
                        .request(TestServer.SAMPLE_ROUTE)
                        .timeout(Duration.ofSeconds(10))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(
                                TestServer.request("quick", TestServer.params()).toString())));
        assertThat(submitted.status()).as(submitted.body()).isEqualTo(200);
    }

    @Test
    void aClientStalledMidBodyGetsA408NamingTheTimeoutAndIsCutOff() throws Exception {
        start("idle_timeout_seconds: 1");
        Socket s = stallMidBody();
        RawHttp.Answer answer = RawHttp.read(s.getInputStream());
        assertThat(answer.status()).isEqualTo(408);
        JsonNode json = KilnJson.strict().readTree(answer.body());
        assertThat(json.get("code").asInt()).isEqualTo(408);
        assertThat(json.get("details").asText()).contains("runtime.http.idle_timeout_seconds");
        await().atMost(CEILING).until(() -> closedByServer(s));
        assertThat(get("/health").status()).isEqualTo(200);
    }

    @Test
    void hundredsOfStalledClientsAreAllCutOff() throws Exception {
        start("idle_timeout_seconds: 1");
        List<Socket> stalled = new ArrayList<>();
        for (int i = 0; i < STALLED; i++) {
            stalled.add(stallMidBody());
        }
        for (Socket s : stalled) {
            await().atMost(CEILING).until(() -> closedByServer(s));
        }
        assertThat(get("/health").status()).isEqualTo(200);
    }

    @Test
    void aClientSendingItsBodyBelowTheMinimumRateGetsA408NamingTheRate() throws Exception {
        // no client sends a byte in under a nanosecond, so the first byte of the body is already too slow
        start("idle_timeout_seconds: 600, min_request_data_rate: 1000000000, min_request_data_rate_grace_seconds: 0");
        Socket s = stallMidBody();
        RawHttp.Answer answer = RawHttp.read(s.getInputStream());
        assertThat(answer.status()).isEqualTo(408);
        assertThat(KilnJson.strict().readTree(answer.body()).get("details").asText())
                .contains("runtime.http.min_request_data_rate");
        await().atMost(CEILING).until(() -> closedByServer(s));
    }

    @Test
    void aClientStalledMidHeadersIsCutOff() throws Exception {
        start("idle_timeout_seconds: 600, request_header_timeout_seconds: 1");
        Socket s = open();
        OutputStream out = s.getOutputStream();
        out.write(("GET /health HTTP/1.1\r\nHost: localhost\r\nX-Slow: ").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        await().atMost(CEILING).until(() -> closedByServer(s));
    }
}
