package dev.kiln.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobStatusTest {

    @Test
    void terminalStatesAreCompletedCanceledAndErrored() {
        assertThat(JobStatus.QUEUED.isTerminal()).isFalse();
        assertThat(JobStatus.RUNNING.isTerminal()).isFalse();
        assertThat(JobStatus.COMPLETED.isTerminal()).isTrue();
        assertThat(JobStatus.CANCELED.isTerminal()).isTrue();
        assertThat(JobStatus.ERRORED.isTerminal()).isTrue();
    }

    @ParameterizedTest
    @EnumSource(
            value = JobStatus.class,
            names = {"COMPLETED", "CANCELED", "ERRORED"})
    void aTerminalStateNeverChanges(JobStatus terminal) {
        for (JobStatus next : JobStatus.values()) {
            assertThat(terminal.canTransitionTo(next))
                    .as("%s -> %s", terminal, next)
                    .isFalse();
        }
    }

    @Test
    void queuedJobsStartOrEndAndRunningJobsEndAndNothingElseMoves() {
        Map<JobStatus, Set<JobStatus>> allowed = Map.of(
                JobStatus.QUEUED, EnumSet.of(JobStatus.RUNNING, JobStatus.CANCELED, JobStatus.ERRORED),
                JobStatus.RUNNING, EnumSet.of(JobStatus.COMPLETED, JobStatus.CANCELED, JobStatus.ERRORED));
        for (JobStatus from : JobStatus.values()) {
            for (JobStatus to : JobStatus.values()) {
                assertThat(from.canTransitionTo(to))
                        .as("%s -> %s", from, to)
                        .isEqualTo(allowed.getOrDefault(from, Set.of()).contains(to));
            }
        }
    }

    @Test
    void jobStateRecordsCompletionTimeOnEveryTerminalTransitionAndNotifiesOnce() {
        AtomicInteger notified = new AtomicInteger();
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        JobState state = new JobState(JobInfo.queued("j", t0), info -> notified.incrementAndGet());
        assertThat(state.start(t0.plusSeconds(1))).isTrue();
        assertThat(state.finish(JobStatus.CANCELED, List.of(), t0.plusSeconds(2)))
                .isTrue();
        assertThat(state.finish(JobStatus.COMPLETED, List.of(), t0.plusSeconds(3)))
                .isFalse();
        assertThat(state.finish(JobStatus.ERRORED, List.of(), t0.plusSeconds(3)))
                .isFalse();
        assertThat(state.get().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(state.get().completed()).isEqualTo(t0.plusSeconds(2));
        assertThat(state.get().started()).isEqualTo(t0.plusSeconds(1));
        assertThat(notified).hasValue(1);
    }

    @Test
    void progressIsIgnoredOnceTerminal() {
        Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
        JobState state = new JobState(JobInfo.queued("j", t0), null);
        state.start(t0);
        state.progress(new Progress(1, 2, java.util.Map.of("loss", 0.5), t0));
        state.finish(JobStatus.COMPLETED, List.of(), t0);
        state.progress(new Progress(2, 2, java.util.Map.of("loss", 0.1), t0));
        assertThat(state.get().progress().step()).isEqualTo(1);
    }
}
