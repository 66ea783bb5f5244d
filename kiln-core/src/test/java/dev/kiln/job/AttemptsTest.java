package dev.kiln.job;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.job.Attempt.Outcome;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A job records every attempt: the first, each retry, and how each ended. */
class AttemptsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final JobError KILLED = JobError.of(JobError.Kind.PROCESS_DIED, "killed by signal 9");

    @Test
    void aQueuedJobIsOnItsFirstAttemptWithNoneRecorded() {
        JobInfo queued = JobInfo.queued("j", T0);
        assertThat(queued.attempt()).isEqualTo(1);
        assertThat(queued.attempts()).isEmpty();
    }

    @Test
    void aRetriedJobListsEveryAttemptWithItsOutcomeAndError() {
        JobState state = new JobState(JobInfo.queued("j", T0), null);
        state.start(T0.plusSeconds(1));
        assertThat(state.get().attempts()).containsExactly(Attempt.begun(1, T0.plusSeconds(1)));

        assertThat(state.retry(KILLED, T0.plusSeconds(2))).isTrue();
        assertThat(state.get().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(state.retry(KILLED, T0.plusSeconds(2))).as("no attempt runs").isFalse();
        assertThat(state.beginAttempt(T0.plusSeconds(3))).isTrue();
        assertThat(state.beginAttempt(T0.plusSeconds(3))).as("one already runs").isFalse();
        assertThat(state.get().attempt()).isEqualTo(2);
        state.finish(JobStatus.COMPLETED, List.of(), T0.plusSeconds(4));

        JobInfo done = state.get();
        assertThat(done.attempt()).isEqualTo(2);
        assertThat(done.attempts())
                .containsExactly(
                        new Attempt(1, T0.plusSeconds(1), T0.plusSeconds(2), Outcome.RETRIED, KILLED),
                        new Attempt(2, T0.plusSeconds(3), T0.plusSeconds(4), Outcome.COMPLETED, null));
    }

    @Test
    void theLastAttemptCarriesTheErrorThatEndedTheJob() {
        JobState state = new JobState(JobInfo.queued("j", T0), null);
        state.start(T0);
        state.finish(JobStatus.ERRORED, List.of(KILLED), T0.plusSeconds(1));
        assertThat(state.get().attempts())
                .containsExactly(new Attempt(1, T0, T0.plusSeconds(1), Outcome.ERRORED, KILLED));
    }

    @Test
    void aJobCancelledBetweenAttemptsBeginsNoOther() {
        JobState state = new JobState(JobInfo.queued("j", T0), null);
        state.start(T0);
        state.retry(KILLED, T0.plusSeconds(1));
        state.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(2));

        assertThat(state.beginAttempt(T0.plusSeconds(3))).isFalse();
        assertThat(state.get().attempts())
                .containsExactly(new Attempt(1, T0, T0.plusSeconds(1), Outcome.RETRIED, KILLED));
    }

    @Test
    void aJobCancelledWhileQueuedHasNoAttempt() {
        JobState state = new JobState(JobInfo.queued("j", T0), null);
        state.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(1));
        assertThat(state.get().attempts()).isEmpty();
    }
}
