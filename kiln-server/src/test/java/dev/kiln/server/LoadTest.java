package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** 200 concurrent submissions with max_concurrent_jobs 2: all complete, none lost, and the journal agrees. */
class LoadTest {
    private static final int SUBMISSIONS = 200;

    @TempDir
    Path tmp;

    @Test
    void twoHundredConcurrentSubmissionsAllCompleteAndTheJournalAgreesWithTheApi() throws Exception {
        try (TestServer server = TestServer.start(tmp, """
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config: {max_concurrent_jobs: 2}
                """)) {
            Http http = server.http();
            List<CompletableFuture<HttpResponse<String>>> replies = new ArrayList<>();
            for (int i = 0; i < SUBMISSIONS; i++) {
                String body = TestServer.request(
                                "m" + i,
                                TestServer.params().put("sleep_time", 0.002).put("batch_size", i + 1))
                        .toString();
                HttpRequest req = http.request(TestServer.SAMPLE_ROUTE)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(body))
                        .build();
                replies.add(http.client().sendAsync(req, HttpResponse.BodyHandlers.ofString()));
            }
            Set<String> ids = new HashSet<>();
            for (CompletableFuture<HttpResponse<String>> f : replies) {
                HttpResponse<String> r = f.get();
                assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
                ids.add(new Http.Reply(r.statusCode(), r.body(), Map.of())
                        .json()
                        .get("training_id")
                        .asText());
            }
            assertThat(ids).hasSize(SUBMISSIONS);

            await().atMost(TestServer.WAIT)
                    .until(() -> http.get("/management/trainings?state=COMPLETED&limit=1")
                                    .json()
                                    .get("total")
                                    .asLong()
                            == SUBMISSIONS);

            Map<String, String> api = new HashMap<>();
            for (int offset = 0; offset < SUBMISSIONS; offset += 50) {
                http.get("/management/trainings?limit=50&offset=" + offset)
                        .json()
                        .get("trainings")
                        .forEach(t -> api.put(
                                t.get("training_id").asText(), t.get("state").asText()));
            }
            assertThat(api.keySet()).isEqualTo(ids);
            assertThat(api.values()).containsOnly("COMPLETED");

            Map<String, String> journal = new HashMap<>();
            List<long[]> intervals = new ArrayList<>();
            try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + tmp.resolve("journal.db"));
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("SELECT training_id, state, started_ns, completed_ns FROM jobs")) {
                while (rs.next()) {
                    journal.put(rs.getString(1), rs.getString(2));
                    intervals.add(new long[] {rs.getLong(3), rs.getLong(4)});
                }
            }
            assertThat(journal).isEqualTo(api);
            assertThat(mostAtOnce(intervals)).isBetween(1, 2);
            for (String id : ids) {
                JsonNode status = server.status(id);
                assertThat(Instant.parse(status.get("completion_timestamp").asText()))
                        .isNotNull();
            }
            try (Stream<Path> models = Files.list(tmp.resolve("models"))) {
                assertThat(models.count()).isEqualTo(SUBMISSIONS);
            }
        }
    }

    /** The most intervals that overlap at one instant; one that ends counts as ended before one that starts. */
    private static int mostAtOnce(List<long[]> intervals) {
        List<long[]> points = new ArrayList<>();
        for (long[] i : intervals) {
            points.add(new long[] {i[0], 1});
            points.add(new long[] {i[1], -1});
        }
        points.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
        int now = 0;
        int most = 0;
        for (long[] p : points) {
            now += (int) p[1];
            most = Math.max(most, now);
        }
        return most;
    }
}
