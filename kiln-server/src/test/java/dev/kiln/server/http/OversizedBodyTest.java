package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.TestServer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** A client that writes its whole oversized body before reading (as Python's urllib does) still reads the 413. */
class OversizedBodyTest {
    private static final int LIMIT = 1 << 20;

    @TempDir
    Path tmp;

    private TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "runtime: {http: {max_body_bytes: " + LIMIT + "}}");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static byte[] jsonOf(int size) {
        byte[] body = new byte[size];
        Arrays.fill(body, (byte) ' ');
        body[0] = '{';
        body[size - 1] = '}';
        return body;
    }

    private RawHttp.Answer postWholeBodyFirst(String framing, byte[] body) throws Exception {
        return postWholeBodyFirst(TestServer.SAMPLE_ROUTE, framing, body);
    }

    private RawHttp.Answer postWholeBodyFirst(String route, String framing, byte[] body) throws Exception {
        return RawHttp.send(
                server.server().baseUri(),
                "POST " + route + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n" + framing
                        + "\r\n",
                body);
    }

    private static void assert413(RawHttp.Answer answer) throws Exception {
        assertThat(answer.status()).isEqualTo(413);
        JsonNode json = KilnJson.strict().readTree(answer.body());
        assertThat(json.get("code").asInt()).isEqualTo(413);
        assertThat(json.get("details").asText())
                .contains("larger than " + LIMIT + " bytes (runtime.http.max_body_bytes)");
    }

    @Test
    void aDeclaredBodyThreeTimesTheLimitWrittenWholeGetsThe413() throws Exception {
        byte[] body = jsonOf(3 * LIMIT);
        assert413(postWholeBodyFirst("Content-Length: " + body.length + "\r\n", body));
    }

    @Test
    void aChunkedBodyThreeTimesTheLimitWrittenWholeGetsThe413() throws Exception {
        byte[] data = jsonOf(3 * LIMIT);
        byte[] head = (Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] tail = "\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] chunked = new byte[head.length + data.length + tail.length];
        System.arraycopy(head, 0, chunked, 0, head.length);
        System.arraycopy(data, 0, chunked, head.length, data.length);
        System.arraycopy(tail, 0, chunked, head.length + data.length, tail.length);
        assert413(postWholeBodyFirst("Transfer-Encoding: chunked\r\n", chunked));
    }

    /** Routes that would refuse the request for something else, without reading the body, must not reset it. */
    @ParameterizedTest
    @ValueSource(strings = {"/api/v1/SampleTaskNoSuchModuleTrain", "/no/such/route", "/health"})
    void anOversizedBodyToARouteThatWouldNotReadItGetsThe413(String route) throws Exception {
        byte[] body = jsonOf(3 * LIMIT);
        assert413(postWholeBodyFirst(route, "Content-Length: " + body.length + "\r\n", body));
    }

    @Test
    void aBodyDeclaredPastWhatIsDrainedIsRefusedBeforeItIsSent() throws Exception {
        try (java.net.Socket socket = new java.net.Socket(
                server.server().baseUri().getHost(), server.server().baseUri().getPort())) {
            socket.setSoTimeout(60_000);
            socket.getOutputStream()
                    .write(("POST " + TestServer.SAMPLE_ROUTE + " HTTP/1.1\r\nHost: localhost\r\n"
                                    + "Content-Type: application/json\r\nContent-Length: " + (1L << 40) + "\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1));
            socket.getOutputStream().flush();
            // Not a byte of the body is sent: the answer must not wait for it.
            assert413(RawHttp.read(socket.getInputStream()));
        }
    }

    @Test
    void theConnectionServesTheNextRequestAfterADrainedBody() throws Exception {
        byte[] body = jsonOf(2 * LIMIT);
        try (java.net.Socket socket = new java.net.Socket(
                server.server().baseUri().getHost(), server.server().baseUri().getPort())) {
            socket.setSoTimeout(60_000);
            var out = socket.getOutputStream();
            out.write(("POST " + TestServer.SAMPLE_ROUTE + " HTTP/1.1\r\nHost: localhost\r\n"
                            + "Content-Type: application/json\r\nContent-Length: " + body.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.write("GET /health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            var in = socket.getInputStream();
            assert413(RawHttp.read(in));
            assertThat(RawHttp.read(in).status()).isEqualTo(200);
        }
    }
}
