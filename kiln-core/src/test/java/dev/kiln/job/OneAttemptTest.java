package dev.kiln.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job's single attempt is kept compactly: it must read, compare and refuse changes as a list of one does. */
class OneAttemptTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void aFinishedSnapshotsOneAttemptEqualsAListOfThatAttempt() {
        JobInfo done = JobInfo.queued("j", T0)
                .running(T0.plusSeconds(1))
                .finished(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2));
        Attempt expected = new Attempt(1, T0.plusSeconds(1), T0.plusSeconds(2), Attempt.Outcome.COMPLETED, null);

        assertThat(done.attempts()).containsExactly(expected);
        assertThat(done.attempts()).isEqualTo(List.of(expected)).hasSameHashCodeAs(List.of(expected));
        assertThat(List.of(expected)).isEqualTo(done.attempts());
        assertThat(done.currentAttempt()).isEqualTo(expected);
        assertThat(done.attempt()).isEqualTo(1);
        assertThat(done.attempts().toString()).isEqualTo(List.of(expected).toString());
    }

    @Test
    void anErrorEndsTheOneAttemptWithItAndAnEndBetweenAttemptsLeavesItAsItWas() {
        JobError lost = JobError.of(JobError.Kind.EXCEPTION, "lost");
        JobInfo errored =
                JobInfo.queued("j", T0).running(T0).finished(JobStatus.ERRORED, List.of(lost), T0.plusSeconds(1));
        JobInfo between = JobInfo.queued("j", T0).running(T0).retrying(lost, T0.plusSeconds(1));
        JobInfo cancelled = between.finished(JobStatus.CANCELED, List.of(), T0.plusSeconds(2));

        assertThat(errored.attempts())
                .containsExactly(new Attempt(1, T0, T0.plusSeconds(1), Attempt.Outcome.ERRORED, lost));
        assertThat(cancelled.attempts())
                .containsExactly(new Attempt(1, T0, T0.plusSeconds(1), Attempt.Outcome.RETRIED, lost));
        assertThat(cancelled.completed()).isEqualTo(T0.plusSeconds(2));
    }

    @Test
    void snapshotsMadeFromAnyListOfOneAttemptAreEqual() {
        Attempt running = Attempt.begun(1, T0.plusSeconds(1));
        JobInfo viaTransition = JobInfo.queued("j", T0).running(T0.plusSeconds(1));
        List<Attempt> mutable = new ArrayList<>(List.of(running));
        JobInfo viaConstructor =
                new JobInfo("j", JobStatus.RUNNING, List.of(), T0, T0.plusSeconds(1), null, null, mutable);
        mutable.clear(); // a snapshot keeps its own copy

        assertThat(viaConstructor).isEqualTo(viaTransition).hasSameHashCodeAs(viaTransition);
        assertThat(viaConstructor.attempts()).containsExactly(running);
    }

    @Test
    void theAttemptsCannotBeChangedOrReadPastTheOne() {
        List<Attempt> attempts = JobInfo.queued("j", T0).running(T0).attempts();

        assertThatThrownBy(() -> attempts.add(Attempt.begun(2, T0))).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attempts.set(0, Attempt.begun(2, T0)))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attempts.remove(0)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> attempts.get(1)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> attempts.get(-1)).isInstanceOf(IndexOutOfBoundsException.class);
    }

    @Test
    void aSecondAttemptMakesAnOrdinaryListOfTwo() {
        JobInfo retried = JobInfo.queued("j", T0)
                .running(T0.plusSeconds(1))
                .retrying(JobError.of(JobError.Kind.EXCEPTION, "lost"), T0.plusSeconds(2))
                .nextAttempt(T0.plusSeconds(3));

        assertThat(retried.attempts()).extracting(Attempt::number).containsExactly(1, 2);
        assertThat(retried.attempts().get(0).outcome()).isEqualTo(Attempt.Outcome.RETRIED);
        assertThat(retried.currentAttempt()).isEqualTo(Attempt.begun(2, T0.plusSeconds(3)));
    }
}
