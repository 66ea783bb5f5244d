package dev.kiln.modules;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.config.Settings;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.json.KilnJson;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.LocalTrainerSettings;
import dev.kiln.module.Checkpoint;
import dev.kiln.modules.datasets.ShippedDataset;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.modules.text.TextClassifierModel;
import dev.kiln.modules.text.TextRecord;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A text classifier training in a child JVM that is SIGKILLed at epoch k is retried, resumes from the checkpoint the
 * killed JVM left, completes, and predicts exactly as a training that was never interrupted.
 */
class ChildJvmKilledRetryTest {
    private static final int EPOCHS = 6;
    private static final long KILL_AT = 2;

    @TempDir
    Path dir;

    @Test
    void aChildKilledAtEpochTwoIsRetriedFromItsCheckpointToTheSameModel() throws Exception {
        HeldOutFile spam = HeldOutFile.split(ShippedDataset.SPAM_ASSASSIN, 0.2, 7, dir);
        TextClassifier.Params params = TextClassifier.Params.of(spam.train(TextRecord.class))
                .withEpochs(EPOCHS)
                .withCheckpointEvery(1);
        TextClassifierModel straight = new TextClassifier().train(params, RecordingContext.create(dir));

        Map<String, Object> config = Map.of(
                "use_subprocess",
                true,
                "subprocess_start_method",
                "spawn",
                "work_dir",
                dir.resolve("work").toString(),
                "retry_backoff",
                Map.of("initial", "0s", "max", "0s"));
        AtomicLong checkpointAtDeath = new AtomicLong(-1);
        try (LocalModelTrainer trainer = LocalModelTrainer.builder()
                .name("retry-test")
                .settings(LocalTrainerSettings.from(
                        new Settings("test.config", KilnJson.data().valueToTree(config))))
                .build()) {
            trainer.addListener(event -> {
                JobInfo info = event.info();
                if (event.kind() == JobEvent.Kind.PROGRESS
                        && info.attempt() == 1
                        && info.progress().step() == KILL_AT) {
                    checkpointAtDeath.set(killWorker(trainer, event.future()));
                }
            });
            ModelFuture future = trainer.train(new TextClassifier(), params, TrainOptions.saveTo(dir.resolve("model")));

            JobInfo done = future.await(Duration.ofMinutes(5));

            assertThat(done.status()).as("%s", done.errors()).isEqualTo(JobStatus.COMPLETED);
            assertThat(done.attempts())
                    .extracting(Attempt::outcome)
                    .containsExactly(Attempt.Outcome.RETRIED, Attempt.Outcome.COMPLETED);
            JobError killed = done.attempts().get(0).error();
            assertThat(killed.kind()).isEqualTo(JobError.Kind.PROCESS_DIED);
            assertThat(killed.message()).contains("killed by signal 9");
            long resumedAfter = checkpointAtDeath.get();
            assertThat(resumedAfter).as("the killed JVM's latest checkpoint").isBetween(KILL_AT - 1, (long) EPOCHS - 1);
            assertThat(future.logs()).contains("Resuming after epoch " + resumedAfter + "/" + EPOCHS);
            assertThat(done.progress().step()).isEqualTo(EPOCHS);

            TextClassifierModel resumed = (TextClassifierModel) future.load();
            assertThat(resumed.metrics()).isEqualTo(straight.metrics());
            List<TextRecord> test = spam.test(TextRecord.class);
            assertThat(test).hasSizeGreaterThan(500);
            for (TextRecord r : test) {
                assertThat(resumed.predict(r.text())).isEqualTo(straight.predict(r.text()));
            }
        }
    }

    /** SIGKILLs the worker JVM running {@code future} and answers the step of the checkpoint it left. */
    private static long killWorker(LocalModelTrainer trainer, ModelFuture future) {
        // the trainer's only child process is the worker JVM of its one training
        List<ProcessHandle> children = ProcessHandle.current()
                .children()
                .filter(ProcessHandle::isAlive)
                .toList();
        assertThat(children).as("the worker JVM").hasSize(1);
        ProcessHandle worker = children.get(0);
        worker.destroyForcibly();
        try {
            worker.onExit().get(1, TimeUnit.MINUTES);
        } catch (Exception e) {
            throw new AssertionError("worker " + worker.pid() + " did not die", e);
        }
        CheckpointStore store = new CheckpointStore(trainer.checkpointDirectory(future.id()), 2);
        return store.latest().map(Checkpoint::step).orElse(0L);
    }
}
