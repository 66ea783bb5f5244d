package dev.kiln.server.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.api.TrainingEvent;
import dev.kiln.server.api.TrainingSummary;
import dev.kiln.server.testing.TestServer;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client the command line's --server mode uses, against a real server. */
class KilnClientTest {
    @TempDir
    Path tmp;

    private TestServer server;
    private KilnClient client;

    @BeforeEach
    void start() {
        server = TestServer.start(tmp, "runtime: {http: {auth_token: t0k3n}}").authenticate("t0k3n");
        client = KilnClient.connect(server.server().baseUri(), "t0k3n");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void trainsByModuleNameIdOrClassAndReportsStatusDetailAndList() {
        TrainResponse byName =
                client.train("SampleModule", "a", TestServer.params().put("batch_size", 3));
        TrainResponse byId = client.train("00110203-0405-0607-0809-0a0b0c0d0e0f", "b", null);
        TrainResponse byClass = client.train("dev.kiln.testing.SampleModule", "c", TestServer.params(), "my-id");
        assertThat(byName.modelName()).isEqualTo("a");
        assertThat(byClass.trainingId()).isEqualTo("my-id");

        for (TrainResponse r : List.of(byName, byId, byClass)) {
            server.awaitState(r.trainingId(), "COMPLETED");
            assertThat(client.status(r.trainingId()).state()).isEqualTo(JobStatus.COMPLETED);
        }
        assertThat(client.detail(byName.trainingId())
                        .parameters()
                        .get("batch_size")
                        .asInt())
                .isEqualTo(3);
        assertThat(client.list(Set.of(JobStatus.COMPLETED), 2, 0).trainings()).hasSize(2);
        assertThat(client.list(Set.of(), 50, 0).total()).isEqualTo(3);
        assertThat(client.logs(byName.trainingId(), 10).strip())
                .endsWith("INFO SampleModule trained on 0 records with batch size 3");
        assertThat(client.version().modules()).containsKey("SampleModule");
        assertThat(client.summary().counts().get("COMPLETED")).isEqualTo(3);
        assertThat(client.healthy()).isTrue();
    }

    @Test
    void watchFollowsTheEventStreamToTheEnd() throws Exception {
        Path gate = server.gate("g");
        String id = client.train(
                        "SampleModule",
                        "m",
                        TestServer.params().put("gate_file", gate.toString()).put("steps", 2))
                .trainingId();
        server.awaitState(id, "RUNNING");
        List<TrainingEvent> seen = new CopyOnWriteArrayList<>();
        Thread opener = new Thread(() -> TestServer.open(gate));

        TrainingSummary end = client.watch(id, e -> {
            seen.add(e);
            if (seen.size() == 1) {
                opener.start();
            }
        });

        assertThat(end.state()).isEqualTo(JobStatus.COMPLETED);
        assertThat(seen.get(0).type()).isEqualTo(TrainingEvent.STATE);
        assertThat(seen.get(seen.size() - 1).isTerminal()).isTrue();
        assertThat(client.progress(id, 0).points()).hasSize(2);
    }

    @Test
    void cancelAnswersCanceled() {
        String id = client.train(
                        "SampleModule",
                        "m",
                        TestServer.params()
                                .put("gate_file", server.gate("never").toString()))
                .trainingId();
        server.awaitState(id, "RUNNING");
        assertThat(client.cancel(id).state()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void theServersErrorsComeBackWithTheirCodeAndMessage() {
        assertThatThrownBy(() -> client.status("nope")).isInstanceOfSatisfying(KilnServerException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
            assertThat(e.status()).isEqualTo(404);
            assertThat(e.getMessage()).isEqualTo("Training nope was not found");
            assertThat(e.errorId()).isNotBlank();
        });
        ObjectNode bad = TestServer.params().put("bogus", true);
        assertThatThrownBy(() -> client.train("SampleModule", "m", bad))
                .isInstanceOfSatisfying(KilnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT);
                    assertThat(e.getMessage()).contains("Unknown parameter 'bogus'");
                });
        assertThatThrownBy(() -> client.train("NoSuchModule", "m", null))
                .isInstanceOfSatisfying(KilnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND);
                    assertThat(e.getMessage()).contains("NoSuchModule").contains("SampleModule");
                });
        assertThatThrownBy(() -> client.watch("nope", e -> {}))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        KilnClient anonymous = KilnClient.connect(server.server().baseUri());
        assertThatThrownBy(() -> anonymous.list(Set.of(), 10, 0))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAUTHENTICATED));
    }

    @Test
    void anUnreachableServerIsUnavailable() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        KilnClient nowhere = KilnClient.connect(URI.create("http://127.0.0.1:" + port));
        assertThatThrownBy(() -> nowhere.status("x")).isInstanceOfSatisfying(KilnException.class, e -> {
            assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE);
            assertThat(e.getMessage()).contains("Cannot reach the Kiln server at http://127.0.0.1:" + port);
        });
        assertThat(nowhere.healthy()).isFalse();
        assertThatThrownBy(() -> KilnClient.connect(URI.create("ftp://x"))).isInstanceOf(KilnException.class);
    }
}
