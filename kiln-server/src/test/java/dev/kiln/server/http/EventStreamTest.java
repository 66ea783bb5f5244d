package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.json.KilnJson;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The server-sent event streams, read line by line with a real client. */
class EventStreamTest {
    @TempDir
    Path tmp;

    private TestServer server;
    private Http http;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "");
        http = server.http();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    /** One parsed event. */
    record Event(String name, JsonNode data) {
        String state() {
            return data.get("training").get("state").asText();
        }
    }

    /** Reads events until the stream ends or {@code max} events came. */
    private List<Event> read(Stream<String> lines, int max) throws Exception {
        List<Event> events = new ArrayList<>();
        String name = null;
        for (Iterator<String> it = lines.iterator(); it.hasNext() && events.size() < max; ) {
            String line = it.next();
            if (line.startsWith("event: ")) {
                name = line.substring(7);
            } else if (line.startsWith("data: ")) {
                events.add(new Event(name, KilnJson.strict().readTree(line.substring(6))));
            }
        }
        return events;
    }

    private HttpResponse<Stream<String>> open(String path) throws Exception {
        return http.client()
                .send(
                        http.request(path)
                                .header("Accept", "text/event-stream")
                                .GET()
                                .build(),
                        HttpResponse.BodyHandlers.ofLines());
    }

    @Test
    void aTrainingsStreamSendsItsStateThenProgressThenEndsAtTheTerminalState() throws Exception {
        Path gate = server.gate("g");
        Path started = tmp.resolve("started");
        String id = server.train(
                "m",
                TestServer.params()
                        .put("gate_file", gate.toString())
                        .put("started_file", started.toString())
                        .put("steps", 0));
        server.awaitState(id, "RUNNING");

        HttpResponse<Stream<String>> response = open("/management/trainings/" + id + "/events");
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type").orElse("")).startsWith("text/event-stream");
        CompletableFuture<List<Event>> events = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return read(lines, Integer.MAX_VALUE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TestServer.open(gate);

        List<Event> got = events.get(60, TimeUnit.SECONDS);
        assertThat(got.get(0).name()).isEqualTo("state");
        assertThat(got.get(0).state()).isEqualTo("RUNNING");
        assertThat(got.get(0).data().get("training").get("training_id").asText())
                .isEqualTo(id);
        Event last = got.get(got.size() - 1);
        assertThat(last.name()).isEqualTo("state");
        assertThat(last.state()).isEqualTo("COMPLETED");
        assertThat(last.data().get("training").get("completion_timestamp").isNull())
                .isFalse();
    }

    @Test
    void progressEventsCarryStepsAndMetrics() throws Exception {
        Path gate = server.gate("g");
        String id = server.train("m", TestServer.params().put("gate_file", gate.toString()));
        server.awaitState(id, "RUNNING");
        HttpResponse<Stream<String>> response = open("/management/events");
        CompletableFuture<List<Event>> events = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return read(lines, 5);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        String stepped = server.train("n", TestServer.params().put("steps", 3));

        List<Event> got = events.get(60, TimeUnit.SECONDS);
        assertThat(got).extracting(Event::name).containsExactly("state", "state", "progress", "progress", "progress");
        assertThat(got)
                .allSatisfy(e -> assertThat(
                                e.data().get("training").get("training_id").asText())
                        .isEqualTo(stepped));
        assertThat(got.get(0).state()).isEqualTo("QUEUED");
        assertThat(got.get(1).state()).isEqualTo("RUNNING");
        JsonNode progress = got.get(4).data().get("training").get("progress");
        assertThat(progress.get("step").asLong()).isEqualTo(3);
        assertThat(progress.get("metrics").get("loss").asDouble()).isEqualTo(1.0 / 3);
        TestServer.open(gate);
        server.awaitState(id, "COMPLETED");
    }

    @Test
    void aFinishedTrainingsStreamSendsOneStateAndEnds() throws Exception {
        String id = server.train("m", TestServer.params().put("batch_size", 999));
        server.awaitState(id, "ERRORED");
        try (Stream<String> lines =
                open("/management/trainings/" + id + "/events").body()) {
            List<Event> got = read(lines, Integer.MAX_VALUE);
            assertThat(got).hasSize(1);
            assertThat(got.get(0).state()).isEqualTo("ERRORED");
            assertThat(got.get(0).data().get("training").get("reasons").get(0).asText())
                    .contains("999");
        }
    }

    @Test
    void streamsEndWhenTheServerStops() throws Exception {
        String id = server.train(
                "m", TestServer.params().put("gate_file", server.gate("never").toString()));
        server.awaitState(id, "RUNNING");
        HttpResponse<Stream<String>> response = open("/management/trainings/" + id + "/events");
        CompletableFuture<List<Event>> events = CompletableFuture.supplyAsync(() -> {
            try (Stream<String> lines = response.body()) {
                return read(lines, Integer.MAX_VALUE);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        server.close();
        assertThat(events.get(60, TimeUnit.SECONDS)).extracting(Event::state).containsExactly("RUNNING");
    }
}
