package dev.kiln.cli.runs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.client.ClientTrainRequest;
import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.config.KilnConfig;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTrainingClientTest {
    @TempDir
    Path dir;

    @Test
    void subprocessTurnsOnUseSubprocessForTheChosenTrainerOnly() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management:
                  trainers:
                    other:
                      type: LOCAL
                      config:
                        max_concurrent_jobs: 2
                """);
        KilnConfig child = LocalTrainingClient.withSubprocess(config, "other");
        assertThat(child.trainers().get("other").config().bool("use_subprocess", false))
                .isTrue();
        assertThat(child.trainers().get("other").config().integer("max_concurrent_jobs"))
                .contains(2L);
        assertThat(child.trainers().get("default").config().bool("use_subprocess", true))
                .isFalse();
    }

    @Test
    void subprocessNeedsAKnownLocalTrainer() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management:
                  trainers:
                    remote:
                      import_class: com.example.RemoteTrainer
                """);
        assertThatThrownBy(() -> LocalTrainingClient.withSubprocess(config, "remote"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("--subprocess applies to LOCAL trainers; trainer remote");
        assertThatThrownBy(() -> LocalTrainingClient.withSubprocess(config, "nope"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
    }

    @Test
    void cancelsATrainingOfThisProcessAndRecordsIt() throws Exception {
        RunStore store = new RunStore(dir.resolve("runs"));
        try (LocalTrainingClient client =
                new LocalTrainingClient(KilnConfig.defaultsOnly(), store, Clock.systemUTC())) {
            ObjectNode params = KilnJson.strict()
                    .createObjectNode()
                    .put("gate_file", dir.resolve("gate").toString());
            Training training = client.train(
                    new ClientTrainRequest("SampleModule", params, "default", dir.resolve("m"), false, null, false));
            assertThat(client.status(training.id()).state()).isIn(JobStatus.QUEUED, JobStatus.RUNNING);

            TrainingSnapshot cancelled = client.cancel(training.id());

            assertThat(cancelled.state()).isEqualTo(JobStatus.CANCELED);
            assertThat(training.await(Duration.ofMinutes(1)).state()).isEqualTo(JobStatus.CANCELED);
            assertThat(store.find(training.id()).orElseThrow().training().state())
                    .isEqualTo(JobStatus.CANCELED);
            assertThat(client.logs(training.id())).contains("SUBMITTED").contains("CANCELED");
        }
    }
}
