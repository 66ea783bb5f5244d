package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.json.Parameters;
import dev.kiln.module.Checkpoint;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trainings that survive Slurm stopping them, on a real Slurm: a job requeued with {@code scontrol requeue} runs
 * again and resumes from its checkpoint to the model an uninterrupted training makes; the checkpoint signal reaches
 * the worker's JVM and makes it checkpoint; a priority reaches Slurm as the job's nice value.
 */
class SlurmRequeueTest {
    private static final Duration WAIT = Duration.ofMinutes(5);
    private static final int EPOCHS = 12;

    @TempDir
    Path tmp;

    private final List<SlurmModelTrainer> made = new ArrayList<>();

    @BeforeEach
    void slurmIsRunning() {
        SlurmCluster.assumeRunning();
    }

    @AfterEach
    void drain() {
        SlurmCluster.drain(made);
        made.forEach(SlurmModelTrainer::close);
    }

    private SlurmModelTrainer trainer(Map<String, Object> config) {
        SlurmModelTrainer t = SlurmCluster.trainer(tmp.resolve("work"), config, Clock.systemUTC());
        made.add(t);
        return t;
    }

    private TextClassifier.Params textParams(int epochs, int checkpointEvery) throws Exception {
        Path data = ShippedDataset.SPAM_ASSASSIN.extractTo(Files.createDirectories(tmp.resolve("data")));
        ObjectNode json = KilnJson.strict().createObjectNode();
        json.putObject("training_data").putObject("file").put("filename", data.toString());
        json.put("epochs", epochs);
        json.put("checkpoint_every", checkpointEvery);
        return Parameters.bind(TextClassifier.Params.class, json, "TextClassifier");
    }

    @Test
    void aRequeuedJobResumesFromItsCheckpointToTheModelOfAnUninterruptedTraining() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of());
        TextClassifier.Params params = textParams(EPOCHS, 1);
        List<Long> steps = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> {
            if (e.kind() == JobEvent.Kind.PROGRESS && e.future().id().equals("requeued")) {
                steps.add(e.info().progress().step());
            }
        });
        SlurmTrainingJob requeued = (SlurmTrainingJob) trainer.train(
                new TextClassifier(),
                params,
                TrainOptions.saveTo(tmp.resolve("requeued-model")).withExternalTrainingId("requeued"));
        ModelFuture straight =
                trainer.train(new TextClassifier(), params, TrainOptions.saveTo(tmp.resolve("straight")));

        await().atMost(WAIT)
                .until(() -> requeued.info().progress() != null
                        && requeued.info().progress().step() >= 3);
        long reached = requeued.info().progress().step();
        slurm("scontrol", "requeue", requeued.slurmJobId());
        await().atMost(WAIT).until(() -> requeued.attempt() == 2);
        assertThat(requeued.info().status()).isEqualTo(JobStatus.RUNNING);
        // Slurm holds a requeued job back for two minutes; let it start again as soon as it safely can
        SlurmCluster.startRequeuedJob(requeued.slurmJobId());

        JobInfo info = requeued.await(WAIT);
        JobInfo straightInfo = straight.await(WAIT);

        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(straightInfo.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(requeued.attempt()).isEqualTo(2);
        assertThat(scontrolLine(requeued.slurmJobId())).contains("Restarts=1");
        assertThat(steps)
                .as("progress goes on from the checkpoint: never below %d, no epoch twice", reached)
                .containsExactlyElementsOf(
                        LongStream.rangeClosed(1, EPOCHS).boxed().toList());
        assertThat(requeued.logs()).contains("Resuming after epoch");
        TextClassifierModel resumedModel = (TextClassifierModel) requeued.load();
        TextClassifierModel straightModel = (TextClassifierModel) straight.load();
        assertThat(resumedModel.metrics()).isEqualTo(straightModel.metrics());
        for (String text : texts(params)) {
            assertThat(resumedModel.predict(text)).isEqualTo(straightModel.predict(text));
        }
    }

    /**
     * The trainer allows two retries, the request none: the first requeue by Slurm already needs a second attempt,
     * so the training ends ERRORED and its Slurm job is cancelled; a training of the same trainer without the override
     * is followed into its next run. Both options survive in the job record, for re-attachment.
     */
    @Test
    void aRequestsMaxRetriesReplacesTheTrainersAndCountsSlurmsRequeues() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of("max_retries", 2));
        TextClassifier.Params params = textParams(2_000, 1);
        SlurmTrainingJob none = (SlurmTrainingJob)
                trainer.train(new TextClassifier(), params, TrainOptions.none().withMaxRetries(0));
        SlurmTrainingJob some = (SlurmTrainingJob) trainer.train(new TextClassifier(), params, TrainOptions.none());
        assertThat(none.maxRetries()).isZero();
        assertThat(some.maxRetries()).isEqualTo(2);
        assertThat(dev.kiln.slurm.jobdir.SlurmJobRecord.read(none.directory().record())
                        .options()
                        .maxRetries())
                .isZero();
        await().atMost(WAIT)
                .until(() -> Stream.of(none, some)
                        .allMatch(j -> j.info().progress() != null
                                && j.info().progress().step() >= 1));
        String noneSlurmJob = none.slurmJobId();

        slurm("scontrol", "requeue", noneSlurmJob);
        slurm("scontrol", "requeue", some.slurmJobId());

        JobInfo ended = none.await(WAIT);
        assertThat(ended.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(ended.errors().get(0).kind()).isEqualTo(JobError.Kind.SCHEDULER);
        assertThat(ended.errors().get(0).message())
                .isEqualTo("Slurm requeued job " + noneSlurmJob + " of training " + none.id()
                        + " for attempt 2, more than max_retries 0 allows");
        // the requeued job waits (its batch step still COMPLETING, then PENDING) until Kiln's cancel ends it
        await().atMost(WAIT).until(() -> scontrolLine(noneSlurmJob).contains("JobState=CANCELLED"));

        await().atMost(WAIT).until(() -> some.attempt() == 2);
        assertThat(some.info().status()).as("requeued within its retries").isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void theCheckpointSignalReachesTheWorkerWhichCheckpointsAndGoesOn() throws Exception {
        SlurmModelTrainer trainer = trainer(Map.of());
        int epochs = 2_000;
        SlurmTrainingJob job =
                (SlurmTrainingJob) trainer.train(new TextClassifier(), textParams(epochs, epochs), TrainOptions.none());
        CheckpointStore checkpoints = new CheckpointStore(job.directory().checkpoints(), 2);
        await().atMost(WAIT)
                .until(() ->
                        job.info().progress() != null && job.info().progress().step() >= 2);
        assertThat(checkpoints.latest())
                .as("no regular checkpoint before epoch %d", epochs)
                .isEmpty();

        slurm("scancel", "--signal=USR1", "--batch", job.slurmJobId());

        await().atMost(WAIT).until(() -> checkpoints.latest().isPresent());
        Optional<Checkpoint> saved = checkpoints.latest();
        assertThat(saved.get().step()).isBetween(2L, (long) epochs - 1);
        long at = saved.get().step();
        await().atMost(WAIT).until(() -> job.info().progress().step() > at);
        assertThat(job.info().status()).as("the worker goes on training").isEqualTo(JobStatus.RUNNING);
        assertThat(job.logs()).contains("kiln worker: checkpoint requested by SIGUSR1");
        assertThat(scontrolLine(job.slurmJobId())).contains("Requeue=1");
    }

    @Test
    void aPriorityIsTheJobsNiceValueInSlurm() throws Exception {
        Path gate = tmp.resolve("gate");
        SampleModule.Params held = SampleModule.Params.defaults().withGate(gate, tmp.resolve("started"));
        SlurmTrainingJob low = (SlurmTrainingJob) trainer(Map.of())
                .train(new SampleModule(), held, TrainOptions.none().withPriority(-3));
        SlurmTrainingJob high = (SlurmTrainingJob) trainer(Map.of("negative_nice", true))
                .train(new SampleModule(), held, TrainOptions.none().withPriority(4));

        assertThat(scontrolLine(low.slurmJobId())).contains("Nice=3");
        assertThat(scontrolLine(high.slurmJobId())).contains("Nice=-4");
        Files.writeString(gate, "go");
    }

    private static List<String> texts(TextClassifier.Params params) throws Exception {
        List<String> texts = new ArrayList<>();
        Path file = Path.of(Parameters.toJson(params)
                .get("training_data")
                .get("file")
                .get("filename")
                .asText());
        for (String line : Files.readAllLines(file)) {
            if (texts.size() == 300) {
                break;
            }
            texts.add(KilnJson.strict().readTree(line).get("text").asText());
        }
        assertThat(texts).hasSize(300);
        return texts;
    }

    private static void slurm(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor()).as("%s: %s", String.join(" ", command), out).isZero();
    }

    private static String scontrolLine(String jobId) throws Exception {
        Process p = new ProcessBuilder("scontrol", "-o", "show", "job", jobId).start();
        String out = new String(p.getInputStream().readAllBytes());
        p.waitFor();
        return out;
    }
}
