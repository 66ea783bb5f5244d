package dev.kiln.server.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.server.testing.RawHttp;
import dev.kiln.server.testing.TestServer;
import dev.kiln.testing.FuzzBudget;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Bodies whose size is around {@code runtime.http.max_body_bytes}, framed honestly or not: a declared length above
 * or below what is sent, chunked bodies, and bodies that stop part-way, the connection then left open (a stalled
 * client) or half-closed. Written on raw sockets, since no client library sends them. Every case ends, within a
 * bound, in a success or a JSON error of 400, 408 or 413, never a 5xx or a hang, and {@code /health} answers while a
 * stalled body holds its connection.
 */
@AddLifecycleHook(FuzzBudget.class)
class BodyFramingFuzzTest {
    private static final int LIMIT = 4096;
    private static final Duration IDLE = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(20);
    private static final Set<String> ERROR_FIELDS = Set.of("code", "details", "id");

    private static Path root;
    private static TestServer server;

    /** How the body is framed. */
    enum Framing {
        /** Content-Length equal to the bytes sent. */
        EXACT,
        /** Content-Length larger than the bytes sent. */
        DECLARED_MORE,
        /** Content-Length smaller than the bytes sent (the rest reads as a next request). */
        DECLARED_LESS,
        /** Chunked, with a proper last chunk. */
        CHUNKED,
        /** Chunked, with no last chunk. */
        CHUNKED_UNFINISHED
    }

    /** What the client does after writing what it writes. */
    enum Ending {
        /** Keeps the connection open and waits for an answer. */
        WAIT,
        /** Shuts its output down, then waits. */
        HALF_CLOSE
    }

    /** One case: the body's size, its framing, how many of its bytes are sent, and the ending. */
    record Case(int size, Framing framing, int sent, Ending ending) {
        boolean stalls() {
            return ending == Ending.WAIT && (framing == Framing.DECLARED_MORE || framing == Framing.CHUNKED_UNFINISHED);
        }
    }

    @BeforeContainer
    static void startServer() throws IOException {
        root = Files.createTempDirectory("kiln-fuzz-bodies-");
        server = TestServer.start(root, """
                runtime:
                  http:
                    max_body_bytes: %d
                    idle_timeout_seconds: %d
                """.formatted(LIMIT, IDLE.toSeconds()));
    }

    @AfterContainer
    static void stopServer() {
        if (server != null) {
            server.close();
        }
        ModelFormat.deleteRecursively(root);
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> size = Arbitraries.oneOf(
                Arbitraries.integers().between(LIMIT - 3, LIMIT + 3),
                Arbitraries.of(2, LIMIT / 2, LIMIT * 2, LIMIT * 8));
        return Combinators.combine(
                        size,
                        Arbitraries.of(Framing.class),
                        Arbitraries.doubles().between(0.0, 1.0),
                        Arbitraries.of(Ending.class))
                .as((n, framing, part, ending) -> {
                    int sent = switch (framing) {
                        case EXACT, CHUNKED -> n;
                        case DECLARED_MORE, CHUNKED_UNFINISHED -> (int) (n * part);
                        case DECLARED_LESS -> n + 1 + (int) (part * 64);
                    };
                    return new Case(n, framing, sent, ending);
                });
    }

    @Property(tries = 24)
    void everyBodyEndsInASuccessOrAJsonErrorAndHealthAnswersMeanwhile(@ForAll("cases") Case c) throws Exception {
        URI uri = server.server().baseUri();
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout((int) BOUND.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head(c).getBytes(StandardCharsets.ISO_8859_1));
            out.write(body(c));
            out.flush();
            if (c.ending() == Ending.HALF_CLOSE) {
                socket.shutdownOutput();
            }
            if (c.stalls()) {
                assertThat(server.http().get("/health").status())
                        .as("health while %s stalls", c)
                        .isEqualTo(200);
            }
            RawHttp.Answer answer;
            try {
                answer = RawHttp.read(socket.getInputStream());
            } catch (java.net.SocketTimeoutException e) {
                throw new AssertionError(c + " had no answer within " + BOUND, e);
            }
            assertAnswer(c, answer);
        }
        assertThat(server.http().get("/health").status())
                .as("health after %s", c)
                .isEqualTo(200);
    }

    private static void assertAnswer(Case c, RawHttp.Answer answer) throws IOException {
        int status = answer.status();
        assertThat(status).as("%s answered %s", c, answer).isLessThan(500);
        if (status < 400) {
            return;
        }
        assertThat(status).as("%s answered %s", c, answer).isIn(400, 408, 413);
        JsonNode error = KilnJson.strict().readTree(answer.body());
        assertThat(error).as("%s answered %s", c, answer).isNotNull();
        Set<String> fields = new TreeSet<>();
        error.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).as("%s answered %s", c, answer).isEqualTo(ERROR_FIELDS);
        assertThat(error.get("code").asInt()).isEqualTo(status);
        assertThat(error.get("details").asText()).isNotBlank();
    }

    private static String head(Case c) {
        String framing = switch (c.framing()) {
            case EXACT -> "Content-Length: " + c.size();
            case DECLARED_MORE -> "Content-Length: " + c.size();
            case DECLARED_LESS -> "Content-Length: " + c.size();
            case CHUNKED, CHUNKED_UNFINISHED -> "Transfer-Encoding: chunked";
        };
        return "POST " + TestServer.SAMPLE_ROUTE + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
                + framing + "\r\n\r\n";
    }

    /** The bytes sent after the headers: a JSON object padded to the size, cut or framed as the case says. */
    private static byte[] body(Case c) {
        byte[] json = json(Math.max(c.size(), c.sent()));
        byte[] sent = Arrays.copyOf(json, c.sent());
        if (c.framing() != Framing.CHUNKED && c.framing() != Framing.CHUNKED_UNFINISHED) {
            return sent;
        }
        StringBuilder chunked = new StringBuilder();
        for (int at = 0; at < sent.length; at += 1000) {
            int n = Math.min(1000, sent.length - at);
            chunked.append(Integer.toHexString(n))
                    .append("\r\n")
                    .append(new String(sent, at, n, StandardCharsets.ISO_8859_1))
                    .append("\r\n");
        }
        if (c.framing() == Framing.CHUNKED) {
            chunked.append("0\r\n\r\n");
        }
        return chunked.toString().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static byte[] json(int size) {
        String start = "{\"model_name\":\"m\",\"parameters\":{}";
        byte[] body = new byte[Math.max(size, start.length() + 1)];
        Arrays.fill(body, (byte) ' ');
        System.arraycopy(start.getBytes(StandardCharsets.US_ASCII), 0, body, 0, start.length());
        body[body.length - 1] = '}';
        return Arrays.copyOf(body, size);
    }
}
