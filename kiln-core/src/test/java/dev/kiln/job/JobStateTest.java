package dev.kiln.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

class JobStateTest {
    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void awaitWakesWithTheTerminalSnapshotAfterTheCallbackRan() throws Exception {
        CountDownLatch callbackRan = new CountDownLatch(1);
        JobState state = new JobState(JobInfo.queued("j1", T0), info -> callbackRan.countDown());
        CompletableFuture<JobInfo> awaited = CompletableFuture.supplyAsync(() -> {
            try {
                return state.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(state.start(T0.plusSeconds(1))).isTrue();
        assertThat(state.finish(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2)))
                .isTrue();

        JobInfo ended = awaited.get(30, TimeUnit.SECONDS);
        assertThat(ended.status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(ended.completed()).isEqualTo(T0.plusSeconds(2));
        assertThat(callbackRan.getCount()).isZero();
    }

    @Test
    void anEndWakesNoWaiterUntilItIsReportedAndCallsNoCallback() throws Exception {
        List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
        JobState state = new JobState(JobInfo.queued("j6", T0), info -> calls.add("made with"));
        state.start(T0.plusSeconds(1));
        CompletableFuture<JobInfo> awaited = CompletableFuture.supplyAsync(() -> {
            try {
                return state.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Awaitility.await().until(() -> state.hasWaiters());

        JobInfo ended = state.end(JobStatus.CANCELED, List.of(), T0.plusSeconds(2));

        assertThat(ended.status()).isEqualTo(JobStatus.CANCELED);
        assertThat(state.get()).isSameAs(ended);
        assertThat(state.end(JobStatus.COMPLETED, List.of(), T0.plusSeconds(3))).isNull();
        assertThat(awaited).isNotDone();
        state.reportEnd(ended);
        assertThat(awaited.get(30, TimeUnit.SECONDS)).isSameAs(ended);
        assertThat(state.await()).isSameAs(ended);
        assertThat(calls).isEmpty();
    }

    @Test
    void aCallerThatAwaitsWhileTheCallbackRunsWaitsForIt() throws Exception {
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch releaseCallback = new CountDownLatch(1);
        JobState state = new JobState(JobInfo.queued("j5", T0), info -> {
            inCallback.countDown();
            try {
                releaseCallback.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        state.start(T0.plusSeconds(1));
        CompletableFuture<Boolean> finished =
                CompletableFuture.supplyAsync(() -> state.finish(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2)));
        assertThat(inCallback.await(30, TimeUnit.SECONDS)).isTrue();
        assertThat(state.get().status()).isEqualTo(JobStatus.COMPLETED); // terminal, but not yet reported

        CompletableFuture<JobInfo> awaited = new CompletableFuture<>();
        Thread awaiter = new Thread(() -> {
            try {
                awaited.complete(state.await());
            } catch (InterruptedException e) {
                awaited.completeExceptionally(e);
            }
        });
        awaiter.start();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> awaiter.getState() == Thread.State.WAITING);
        assertThat(awaited).isNotDone();

        releaseCallback.countDown();
        assertThat(finished.get(30, TimeUnit.SECONDS)).isTrue();
        assertThat(awaited.get(30, TimeUnit.SECONDS).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(state.await().completed()).isEqualTo(T0.plusSeconds(2)); // after the report: no waiting at all
    }

    @Test
    void awaitWithATimeoutAnswersTheCurrentSnapshotWhileTheJobRuns() throws Exception {
        JobState state = new JobState(JobInfo.queued("j2", T0), null);
        state.start(T0);
        assertThat(state.await(Duration.ZERO).status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void aJobKnownOnlyFromItsRecordHasAlreadyEnded() throws Exception {
        JobInfo ended = JobInfo.queued("j3", T0).finished(JobStatus.ERRORED, List.of(), T0.plusSeconds(5));
        JobState state = new JobState(ended, info -> {
            throw new AssertionError("no transition happened");
        });
        assertThat(state.await()).isSameAs(ended);
        assertThat(state.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(6)))
                .isFalse();
    }

    @Test
    void aFailingCallbackStillWakesThoseWaiting() throws Exception {
        JobState state = new JobState(JobInfo.queued("j4", T0), info -> {
            throw new IllegalStateException("listener broke");
        });
        assertThatThrownBy(() -> state.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(1)))
                .hasMessage("listener broke");
        assertThat(state.await(Duration.ofSeconds(30)).status()).isEqualTo(JobStatus.CANCELED);
    }

    @Test
    void aJobInItsFirstAttemptAnswersEachTransitionsSnapshotAsIfBuiltEagerly() throws Exception {
        JobInfo queued = JobInfo.queued("j7", T0).withProgress(new Progress(3, 10, Map.of(), T0));
        JobState state = new JobState(queued, null);
        assertThat(state.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(state.start(T0.plusSeconds(1))).isTrue();
        assertThat(state.start(T0.plusSeconds(9))).isFalse();

        JobInfo running = queued.running(T0.plusSeconds(1));
        assertThat(state.status()).isEqualTo(JobStatus.RUNNING);
        ExecutorService other = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch bothAsk = new CountDownLatch(2);
            Future<JobInfo> seenThere = other.submit(() -> {
                bothAsk.countDown();
                bothAsk.await();
                return state.get();
            });
            bothAsk.countDown();
            bothAsk.await();
            JobInfo seenHere = state.get();
            assertThat(seenHere).isEqualTo(running);
            assertThat(seenThere.get(30, TimeUnit.SECONDS)).isEqualTo(running);
        } finally {
            other.shutdownNow();
        }
        assertThat(state.get()).isSameAs(state.get());

        assertThat(state.finish(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2)))
                .isTrue();
        JobInfo ended = state.get();
        assertThat(ended).isEqualTo(running.finished(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2)));
        assertThat(ended.attempts())
                .containsExactly(new Attempt(1, T0.plusSeconds(1), T0.plusSeconds(2), Attempt.Outcome.COMPLETED, null));
        assertThat(state.await()).isSameAs(ended);
    }

    @Test
    void aJobEndedInItsFirstAttemptBeforeAnyoneLookedEndsAsIfBuiltEagerly() {
        JobInfo queued = JobInfo.queued("j8", T0);
        JobError error = JobError.of(JobError.Kind.EXCEPTION, new IllegalStateException("boom"));
        JobState errored = new JobState(queued, null);
        errored.start(T0.plusSeconds(1));
        assertThat(errored.finish(JobStatus.ERRORED, List.of(error), T0.plusSeconds(2)))
                .isTrue();
        assertThat(errored.get())
                .isEqualTo(queued.running(T0.plusSeconds(1))
                        .finished(JobStatus.ERRORED, List.of(error), T0.plusSeconds(2)));
        assertThat(errored.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(3)))
                .isFalse();

        JobState notTerminal = new JobState(queued, null);
        notTerminal.start(T0.plusSeconds(1));
        assertThat(notTerminal.finish(JobStatus.QUEUED, List.of(), T0.plusSeconds(2)))
                .isFalse();
        assertThat(notTerminal.status()).isEqualTo(JobStatus.RUNNING);
    }

    @Test
    void progressAndRetriesOfAJobInItsFirstAttemptBuildOnItsRunningSnapshot() {
        JobInfo queued = JobInfo.queued("j9", T0);
        JobState state = new JobState(queued, null);
        state.start(T0.plusSeconds(1));
        Progress step = new Progress(1, 2, Map.of(), T0.plusSeconds(2));
        assertThat(state.progress(step)).isTrue();
        assertThat(state.get()).isEqualTo(queued.running(T0.plusSeconds(1)).withProgress(step));

        JobState retried = new JobState(queued, null);
        retried.start(T0.plusSeconds(1));
        JobError error = JobError.of(JobError.Kind.RETRYABLE_EXCEPTION, new IllegalStateException("lost"));
        assertThat(retried.retry(error, T0.plusSeconds(2))).isTrue();
        assertThat(retried.get()).isEqualTo(queued.running(T0.plusSeconds(1)).retrying(error, T0.plusSeconds(2)));
        assertThat(retried.beginAttempt(T0.plusSeconds(3))).isTrue();
        assertThat(retried.get().attempts()).hasSize(2);
    }

    @Test
    void aNewJobsStateAnswersTheQueuedSnapshotAndEachTransitionFromIt() {
        JobInfo queued = JobInfo.queued("j10", T0);

        JobState asked = new JobState("j10", T0);
        assertThat(asked.status()).isEqualTo(JobStatus.QUEUED);
        assertThat(asked.get()).isEqualTo(queued).isSameAs(asked.get());
        assertThat(asked.start(T0.plusSeconds(1))).isTrue();
        assertThat(asked.get()).isEqualTo(queued.running(T0.plusSeconds(1)));

        JobState cancelled = new JobState("j10", T0);
        assertThat(cancelled.finish(JobStatus.CANCELED, List.of(), T0.plusSeconds(1)))
                .isTrue();
        assertThat(cancelled.get()).isEqualTo(queued.finished(JobStatus.CANCELED, List.of(), T0.plusSeconds(1)));
        assertThat(cancelled.start(T0.plusSeconds(2))).isFalse();

        JobState progressed = new JobState("j10", T0);
        Progress step = new Progress(1, 2, Map.of(), T0.plusSeconds(1));
        assertThat(progressed.progress(step)).isTrue();
        assertThat(progressed.get()).isEqualTo(queued.withProgress(step));

        JobState ended = new JobState("j10", T0);
        ended.start(T0.plusSeconds(1));
        ended.finish(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2));
        assertThat(ended.get())
                .isEqualTo(
                        queued.running(T0.plusSeconds(1)).finished(JobStatus.COMPLETED, List.of(), T0.plusSeconds(2)));
    }
}
