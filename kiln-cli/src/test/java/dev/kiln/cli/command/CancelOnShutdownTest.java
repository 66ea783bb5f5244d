package dev.kiln.cli.command;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.cli.client.Training;
import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.JobStatus;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CancelOnShutdownTest {

    /** A training whose state the test sets. */
    static final class FakeTraining implements Training {
        volatile JobStatus state;
        final AtomicBoolean cancelled = new AtomicBoolean();

        FakeTraining(JobStatus state) {
            this.state = state;
        }

        @Override
        public String id() {
            return "t-1";
        }

        @Override
        public TrainingSnapshot view() {
            return new TrainingSnapshot(
                    "t-1", "M", "default", state, Instant.EPOCH, null, null, null, List.of(), null, 0, List.of());
        }

        @Override
        public TrainingSnapshot await(Duration timeout) {
            return view();
        }

        @Override
        public void cancel() {
            cancelled.set(true);
            state = JobStatus.CANCELED;
        }
    }

    @Test
    void cancelsARunningTrainingClosesTheClientAndSaysSo() {
        FakeTraining training = new FakeTraining(JobStatus.RUNNING);
        AtomicBoolean closed = new AtomicBoolean();
        StringWriter err = new StringWriter();

        CancelOnShutdown.action(training, () -> closed.set(true), new PrintWriter(err), new AtomicBoolean())
                .run();

        assertThat(training.cancelled).isTrue();
        assertThat(closed).isTrue();
        assertThat(err.toString()).contains("Cancelled training t-1");
    }

    @Test
    void leavesAnEndedTrainingAlone() {
        FakeTraining training = new FakeTraining(JobStatus.COMPLETED);
        AtomicBoolean closed = new AtomicBoolean();
        StringWriter err = new StringWriter();

        CancelOnShutdown.action(training, () -> closed.set(true), new PrintWriter(err), new AtomicBoolean())
                .run();

        assertThat(training.cancelled).isFalse();
        assertThat(closed).isFalse();
        assertThat(err.toString()).isEmpty();
    }

    @Test
    void aCancelThatFailsIsReportedAndTheClientStillClosed() {
        FakeTraining running = new FakeTraining(JobStatus.RUNNING);
        Training training = new Training() {
            @Override
            public String id() {
                return running.id();
            }

            @Override
            public TrainingSnapshot view() {
                return running.view();
            }

            @Override
            public TrainingSnapshot await(Duration timeout) {
                return running.view();
            }

            @Override
            public void cancel() {
                throw new dev.kiln.error.KilnException(
                        dev.kiln.error.ErrorCode.UNAVAILABLE,
                        "Cannot reach the Kiln server at http://127.0.0.1:9: connection refused");
            }
        };
        AtomicBoolean closed = new AtomicBoolean();
        StringWriter err = new StringWriter();

        CancelOnShutdown.action(training, () -> closed.set(true), new PrintWriter(err), new AtomicBoolean())
                .run();

        assertThat(closed).isTrue();
        assertThat(err.toString())
                .contains("Could not cancel training t-1: Cannot reach the Kiln server at "
                        + "http://127.0.0.1:9: connection refused")
                .doesNotContain("Cancelled training");
    }
}
