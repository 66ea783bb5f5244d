package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.manager.ModelManager;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobPage;
import dev.kiln.server.journal.JobQuery;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.server.journal.SqliteJobJournal;
import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A submission the journal cannot record is refused, not acknowledged. */
class JournalFailureTest {
    @TempDir
    Path tmp;

    /** A journal whose submissions fail while {@code failing} is set. */
    static final class FailingJournal implements JobJournal {
        private final JobJournal inner;
        volatile boolean failing;

        FailingJournal(JobJournal inner) {
            this.inner = inner;
        }

        @Override
        public void recordSubmitted(JobRecord record) {
            if (failing) {
                throw new KilnException(
                        ErrorCode.UNAVAILABLE,
                        "The journal could not record the submission of" + " training " + record.trainingId()
                                + ": disk full");
            }
            inner.recordSubmitted(record);
        }

        @Override
        public void recordStarted(String id, Instant started) {
            inner.recordStarted(id, started);
        }

        @Override
        public void recordAttempts(String id, List<Attempt> attempts) {
            inner.recordAttempts(id, attempts);
        }

        @Override
        public void recordProgress(String id, Progress progress) {
            inner.recordProgress(id, progress);
        }

        @Override
        public void recordResumed(String id) {
            inner.recordResumed(id);
        }

        @Override
        public void recordFinished(String id, JobStatus s, Instant at, List<JobError> errors, String logs) {
            inner.recordFinished(id, s, at, errors, logs);
        }

        @Override
        public List<String> markInterrupted(Instant at, JobError reason, Set<String> spared) {
            return inner.markInterrupted(at, reason, spared);
        }

        @Override
        public Optional<JobRecord> find(String id) {
            return inner.find(id);
        }

        @Override
        public JobPage list(JobQuery query) {
            return inner.list(query);
        }

        @Override
        public List<Progress> progress(String id, long afterStep, int limit) {
            return inner.progress(id, afterStep, limit);
        }

        @Override
        public String logs(String id) {
            return inner.logs(id);
        }

        @Override
        public Map<JobStatus, Long> countByState() {
            return inner.countByState();
        }

        @Override
        public List<JobRecord> purgeFinishedBefore(String trainer, Instant cutoff) {
            return inner.purgeFinishedBefore(trainer, cutoff);
        }

        @Override
        public void close() {
            inner.close();
        }
    }

    @Test
    void aSubmissionTheJournalCannotRecordIs503AndDoesNotRun() {
        try (FailingJournal journal = new FailingJournal(SqliteJobJournal.open(tmp.resolve("journal.db")));
                ModelManager manager = ModelManager.fromConfig(TestServer.config(tmp, ""));
                TestServer server = TestServer.start(KilnServer.builder(TestServer.config(tmp, ""))
                        .port(0)
                        .journal(journal)
                        .manager(manager))) {
            journal.failing = true;
            Http.Reply r = server.http()
                    .post(
                            TestServer.SAMPLE_ROUTE,
                            TestServer.request(
                                    "m",
                                    TestServer.params()
                                            .put("gate_file", server.gate("g").toString())));

            assertThat(r.status()).isEqualTo(503);
            assertThat(r.json().get("details").asText()).contains("disk full");
            assertThat(manager.list())
                    .singleElement()
                    .satisfies(f -> assertThat(f.info().status()).isEqualTo(JobStatus.CANCELED));
            assertThat(server.http()
                            .get("/management/trainings")
                            .json()
                            .get("total")
                            .asLong())
                    .isZero();

            journal.failing = false;
            String id = server.train("m", TestServer.params());
            server.awaitState(id, "COMPLETED");
        }
    }
}
