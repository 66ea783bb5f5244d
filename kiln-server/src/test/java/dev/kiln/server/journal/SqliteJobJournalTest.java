package dev.kiln.server.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.json.KilnJson;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SqliteJobJournalTest {
    private static final ModuleDescriptor MODULE = ModuleDescriptor.of(SampleModule.class);
    private static final Instant T0 = Instant.parse("2025-01-02T03:04:05.123456789Z");

    @TempDir
    Path tmp;

    private SqliteJobJournal journal;

    @BeforeEach
    void open() {
        journal = SqliteJobJournal.open(tmp.resolve("j").resolve("journal.db"));
    }

    @AfterEach
    void close() {
        journal.close();
    }

    static JobRecord record(String id, Instant submitted) {
        return record(id, "default", submitted);
    }

    static JobRecord record(String id, String trainer, Instant submitted) {
        return new JobRecord(
                trainer,
                MODULE,
                "model-" + id,
                KilnJson.strict().createObjectNode().put("batch_size", 3),
                new TrainOptions(Path.of("/out"), true, id, "model-" + id),
                "/out/" + id + "/model-" + id,
                false,
                JobInfo.queued(id, submitted));
    }

    @Test
    void aSubmissionReadsBackExactly() {
        JobRecord r = record("a", T0);
        journal.recordSubmitted(r);
        assertThat(journal.find("a")).contains(r);
        assertThat(journal.find("b")).isEmpty();
    }

    @Test
    void stateChangesProgressAndLogsAreRecordedAndATerminalStateNeverMoves() {
        journal.recordSubmitted(record("a", T0));
        journal.recordStarted("a", T0.plusSeconds(1));
        Progress p1 = new Progress(1, 2, Map.of("loss", 0.5), T0.plusSeconds(2));
        Progress p2 = new Progress(2, 2, Map.of("loss", 0.25, "accuracy", 0.9), T0.plusSeconds(3));
        journal.recordProgress("a", p1);
        journal.recordProgress("a", p2);
        journal.recordFinished("a", JobStatus.COMPLETED, T0.plusSeconds(4), List.of(), "line 1\nline 2\n");

        journal.recordFinished("a", JobStatus.CANCELED, T0.plusSeconds(5), List.of(), "");
        journal.recordStarted("a", T0.plusSeconds(6));
        journal.recordProgress("a", new Progress(3, 2, Map.of(), T0.plusSeconds(7)));

        JobInfo info = journal.find("a").orElseThrow().info();
        assertThat(info.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(info.started()).isEqualTo(T0.plusSeconds(1));
        assertThat(info.completed()).isEqualTo(T0.plusSeconds(4));
        assertThat(info.progress()).isEqualTo(p2);
        assertThat(journal.progress("a", Long.MIN_VALUE, 100)).containsExactly(p1, p2);
        assertThat(journal.progress("a", 1, 100)).containsExactly(p2);
        assertThat(journal.logs("a")).isEqualTo("line 1\nline 2\n");
    }

    @Test
    void errorsKeepKindTypeMessageAndStack() {
        journal.recordSubmitted(record("a", T0));
        JobError e = JobError.of(JobError.Kind.EXCEPTION, new IllegalStateException("boom"));
        journal.recordFinished("a", JobStatus.ERRORED, T0.plusSeconds(1), List.of(e), "");
        assertThat(journal.find("a").orElseThrow().info().errors()).containsExactly(e);
    }

    @Test
    void aResubmissionReplacesTheEarlierTrainingAndItsProgress() {
        journal.recordSubmitted(record("a", T0));
        journal.recordProgress("a", new Progress(1, 1, Map.of(), T0));
        journal.recordFinished("a", JobStatus.ERRORED, T0.plusSeconds(1), List.of(), "");
        JobRecord again = record("a", T0.plusSeconds(9));
        journal.recordSubmitted(again);
        assertThat(journal.find("a")).contains(again);
        assertThat(journal.progress("a", Long.MIN_VALUE, 10)).isEmpty();
    }

    @Test
    void markInterruptedEndsOnlyQueuedAndRunningTrainings() {
        journal.recordSubmitted(record("queued", T0));
        journal.recordSubmitted(record("running", T0));
        journal.recordStarted("running", T0);
        journal.recordSubmitted(record("done", T0));
        journal.recordFinished("done", JobStatus.COMPLETED, T0, List.of(), "");
        JobError reason = JobError.of(JobError.Kind.INTERRUPTED, "interrupted");

        assertThat(journal.markInterrupted(T0.plusSeconds(60), reason)).containsExactlyInAnyOrder("queued", "running");

        for (String id : List.of("queued", "running")) {
            JobInfo info = journal.find(id).orElseThrow().info();
            assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
            assertThat(info.completed()).isEqualTo(T0.plusSeconds(60));
            assertThat(info.errors()).containsExactly(reason);
        }
        assertThat(journal.find("done").orElseThrow().info().status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(journal.markInterrupted(T0, reason)).isEmpty();
    }

    @Test
    void markInterruptedSparesTheTrainingsOfTheNamedTrainers() {
        journal.recordSubmitted(record("local", "default", T0));
        journal.recordSubmitted(record("cluster", "slurm", T0));
        journal.recordStarted("cluster", T0.plusSeconds(1));
        journal.recordSubmitted(record("other-cluster", "slurm-2", T0));
        JobError reason = JobError.of(JobError.Kind.INTERRUPTED, "interrupted");

        assertThat(journal.markInterrupted(T0.plusSeconds(60), reason, Set.of("slurm", "slurm-2")))
                .containsExactly("local");

        assertThat(journal.find("local").orElseThrow().info().status()).isEqualTo(JobStatus.ERRORED);
        JobInfo spared = journal.find("cluster").orElseThrow().info();
        assertThat(spared.status()).isEqualTo(JobStatus.RUNNING);
        assertThat(spared.completed()).isNull();
        assertThat(spared.errors()).isEmpty();
        assertThat(journal.find("other-cluster").orElseThrow().info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(journal.markInterrupted(T0.plusSeconds(61), reason, Set.of("slurm")))
                .containsExactly("other-cluster");
    }

    @Test
    void listsNewestFirstByStateInPagesWithoutParameters() {
        for (int i = 0; i < 5; i++) {
            journal.recordSubmitted(record("t" + i, T0.plusSeconds(i)));
        }
        journal.recordFinished("t1", JobStatus.CANCELED, T0, List.of(), "");
        journal.recordFinished("t3", JobStatus.CANCELED, T0, List.of(), "");

        JobPage all = journal.list(JobQuery.all(10));
        assertThat(all.total()).isEqualTo(5);
        assertThat(all.records()).extracting(JobRecord::trainingId).containsExactly("t4", "t3", "t2", "t1", "t0");
        assertThat(all.records()).allSatisfy(r -> assertThat(r.parameters()).isNull());

        JobPage page = journal.list(new JobQuery(Set.of(JobStatus.QUEUED), 1, 2));
        assertThat(page.total()).isEqualTo(3);
        assertThat(page.records()).extracting(JobRecord::trainingId).containsExactly("t2", "t0");

        assertThat(journal.countByState())
                .containsEntry(JobStatus.QUEUED, 3L)
                .containsEntry(JobStatus.CANCELED, 2L)
                .containsEntry(JobStatus.RUNNING, 0L);
    }

    @Test
    void purgeRemovesOnlyTheTrainersTrainingsThatEndedBeforeTheCutoff() {
        journal.recordSubmitted(record("old", T0));
        journal.recordProgress("old", new Progress(1, 1, Map.of(), T0));
        journal.recordFinished("old", JobStatus.COMPLETED, T0.plusSeconds(1), List.of(), "");
        journal.recordSubmitted(record("recent", T0));
        journal.recordFinished("recent", JobStatus.COMPLETED, T0.plusSeconds(100), List.of(), "");
        journal.recordSubmitted(record("running", T0));
        journal.recordSubmitted(record("other", "gpu", T0));
        journal.recordFinished("other", JobStatus.COMPLETED, T0.plusSeconds(1), List.of(), "");

        List<JobRecord> purged = journal.purgeFinishedBefore("default", T0.plusSeconds(50));

        assertThat(purged).extracting(JobRecord::trainingId).containsExactly("old");
        assertThat(journal.find("old")).isEmpty();
        assertThat(journal.progress("old", Long.MIN_VALUE, 10)).isEmpty();
        assertThat(journal.list(JobQuery.all(10)).records())
                .extracting(JobRecord::trainingId)
                .containsExactlyInAnyOrder("recent", "running", "other");
    }

    @Test
    void everythingSurvivesReopening() {
        journal.recordSubmitted(record("a", T0));
        journal.recordFinished("a", JobStatus.COMPLETED, T0.plusSeconds(1), List.of(), "out");
        JobRecord before = journal.find("a").orElseThrow();
        journal.close();
        journal = SqliteJobJournal.open(tmp.resolve("j").resolve("journal.db"));
        assertThat(journal.find("a")).contains(before);
        assertThat(journal.logs("a")).isEqualTo("out");
    }

    @Test
    void aSecondServerCannotOpenAJournalInUse() {
        assertThatThrownBy(() -> SqliteJobJournal.open(tmp.resolve("j").resolve("journal.db")))
                .isInstanceOfSatisfying(KilnException.class, e -> {
                    assertThat(e.code()).isEqualTo(ErrorCode.FAILED_PRECONDITION);
                    assertThat(e.getMessage())
                            .contains("in use by another Kiln server")
                            .contains("runtime.journal.path");
                });
    }

    @Test
    void aJournalOfTheFirstSchemaOpensWithItsTrainingsAtPriorityZeroAndTakesPriorities() throws Exception {
        journal.recordSubmitted(record("old", T0));
        journal.close();
        Path file = tmp.resolve("j").resolve("journal.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.executeUpdate("ALTER TABLE jobs DROP COLUMN priority");
            s.executeUpdate("PRAGMA user_version = 1");
        }
        journal = SqliteJobJournal.open(file);
        assertThat(journal.find("old").orElseThrow().options().priority()).isZero();
        JobRecord urgent = record("urgent", T0.plusSeconds(1));
        urgent = new JobRecord(
                urgent.trainer(),
                urgent.module(),
                urgent.modelName(),
                urgent.parameters(),
                urgent.options().withPriority(7),
                urgent.savePath(),
                false,
                urgent.info());
        journal.recordSubmitted(urgent);
        assertThat(journal.find("urgent")).contains(urgent);
        assertThat(journal.list(new JobQuery(Set.of(), 0, 10)).records())
                .extracting(r -> r.options().priority())
                .containsExactly(7, 0);
    }

    @Test
    void aResumedTrainingIsQueuedAgainWithItsProgressKeptAndAnEndedOneIsLeftAsItIs() {
        journal.recordSubmitted(record("r", T0));
        journal.recordStarted("r", T0.plusSeconds(1));
        journal.recordProgress("r", new Progress(1, 5, Map.of(), T0.plusSeconds(2)));
        journal.recordProgress("r", new Progress(2, 5, Map.of(), T0.plusSeconds(3)));
        journal.recordSubmitted(record("done", T0));
        journal.recordFinished("done", JobStatus.COMPLETED, T0.plusSeconds(4), List.of(), "");

        journal.recordResumed("r");
        journal.recordResumed("done");

        JobRecord r = journal.find("r").orElseThrow();
        assertThat(r.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(r.info().started()).isNull();
        assertThat(r.info().submitted()).isEqualTo(T0);
        assertThat(r.info().progress().step()).isEqualTo(2);
        assertThat(journal.progress("r", Long.MIN_VALUE, 10))
                .extracting(Progress::step)
                .containsExactly(1L, 2L);
        assertThat(journal.find("done").orElseThrow().info().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void everyAttemptReadsBackWithItsOutcomeAndError() {
        journal.recordSubmitted(record("a", T0));
        JobError killed = JobError.of(JobError.Kind.PROCESS_DIED, "Training process was killed by signal 9");
        List<Attempt> attempts = List.of(
                new Attempt(1, T0.plusSeconds(1), T0.plusSeconds(2), Attempt.Outcome.RETRIED, killed),
                new Attempt(2, T0.plusSeconds(4), T0.plusSeconds(9), Attempt.Outcome.COMPLETED, null));
        journal.recordAttempts("a", attempts);
        journal.recordFinished("a", JobStatus.COMPLETED, T0.plusSeconds(9), List.of(), "");

        JobInfo info = journal.find("a").orElseThrow().info();
        assertThat(info.attempts()).isEqualTo(attempts);
        assertThat(info.attempt()).isEqualTo(2);
        assertThat(journal.list(JobQuery.all(10)).records().get(0).info().attempts())
                .isEqualTo(attempts);
    }

    @Test
    void aJournalWrittenBeforeAttemptsWereKeptOpensAndGainsThem() throws Exception {
        journal.close();
        Path file = tmp.resolve("old").resolve("journal.db");
        java.nio.file.Files.createDirectories(file.getParent());
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.executeUpdate("CREATE TABLE jobs (training_id TEXT PRIMARY KEY, trainer TEXT NOT NULL,"
                    + " module_id TEXT NOT NULL, module_name TEXT NOT NULL, module_version TEXT NOT NULL,"
                    + " module_task TEXT NOT NULL, module_class TEXT NOT NULL, model_name TEXT, parameters TEXT,"
                    + " options TEXT NOT NULL, save_path TEXT, save_path_existed INTEGER NOT NULL DEFAULT 0,"
                    + " state TEXT NOT NULL, submitted_ns INTEGER NOT NULL, started_ns INTEGER,"
                    + " completed_ns INTEGER, errors TEXT NOT NULL DEFAULT '[]', progress_step INTEGER,"
                    + " progress_total INTEGER, progress_metrics TEXT, progress_ns INTEGER, logs TEXT)");
            s.executeUpdate("INSERT INTO jobs (training_id, trainer, module_id, module_name, module_version,"
                    + " module_task, module_class, options, state, submitted_ns, started_ns, completed_ns)"
                    + " VALUES ('old', 'default', 'm', 'M', '1', 'T', 'C', '{}', 'COMPLETED', 1, 2, 3)");
            s.executeUpdate("PRAGMA user_version = 1");
        }
        journal = SqliteJobJournal.open(file);

        JobInfo old = journal.find("old").orElseThrow().info();
        assertThat(old.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(old.attempts()).isEmpty();
        journal.recordSubmitted(record("new", T0));
        Attempt only = new Attempt(1, T0.plusSeconds(1), T0.plusSeconds(2), Attempt.Outcome.COMPLETED, null);
        journal.recordAttempts("new", List.of(only));
        journal.recordFinished("new", JobStatus.COMPLETED, T0.plusSeconds(2), List.of(), "");
        assertThat(journal.find("new").orElseThrow().info().attempts()).containsExactly(only);
    }

    @Test
    void aJournalFromANewerKilnIsRefused() throws Exception {
        journal.close();
        Path file = tmp.resolve("j").resolve("journal.db");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = c.createStatement()) {
            s.executeUpdate("PRAGMA user_version = 99");
        }
        assertThatThrownBy(() -> SqliteJobJournal.open(file))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.getMessage()).contains("schema version 99"));
        journal = SqliteJobJournal.open(tmp.resolve("other.db"));
    }

    @Test
    void concurrentSubmissionsAreAllDurable() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String id = "c" + i;
                done.add(pool.submit(() -> journal.recordSubmitted(record(id, T0))));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        journal.close();
        journal = SqliteJobJournal.open(tmp.resolve("j").resolve("journal.db"));
        assertThat(journal.list(JobQuery.all(1)).total()).isEqualTo(400);
    }

    @Test
    void writesAfterCloseAreRefused() {
        journal.close();
        assertThatThrownBy(() -> journal.recordSubmitted(record("late", T0)))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.UNAVAILABLE));
        journal = SqliteJobJournal.open(tmp.resolve("j").resolve("journal.db"));
    }
}
