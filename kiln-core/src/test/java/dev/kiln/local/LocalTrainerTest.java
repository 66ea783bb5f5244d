package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.kiln.job.Attempt;
import dev.kiln.job.JobError;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.runner.JobRunner;
import dev.kiln.local.runner.RunnerJob;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.testing.FakeClock;
import dev.kiln.testing.FakeScheduler;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import dev.kiln.trainer.base.SavePaths;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Behaviour of the LOCAL trainer beyond caikit's: queue, timeout, purge cost, safe deletion, events. */
class LocalTrainerTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path tmp;

    private final List<LocalModelTrainer> trainers = new ArrayList<>();

    private LocalModelTrainer trainer(LocalTrainerSettings settings, FakeClock clock) {
        LocalModelTrainer t =
                LocalModelTrainer.builder().settings(settings).clock(clock).build();
        trainers.add(t);
        return t;
    }

    private LocalModelTrainer trainer(LocalTrainerSettings settings) {
        return trainer(settings, new FakeClock());
    }

    @AfterEach
    void close() {
        trainers.forEach(LocalModelTrainer::close);
    }

    private static SampleModule.Params gated(Path gate) {
        return SampleModule.Params.defaults().withGate(gate, null);
    }

    @Test
    void aFullQueueStartsTheHighestPriorityFirstThenTheEarliestSubmitted() throws Exception {
        FakeClock clock = new FakeClock();
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withMaxConcurrentJobs(1), clock);
        List<String> started = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> {
            if (e.kind() == JobEvent.Kind.STARTED) {
                started.add(e.future().options().modelName());
            }
        });
        Path gate = tmp.resolve("gate");
        java.time.Instant beforeAll = clock.instant();
        ModelFuture blocking = trainer.train(new SampleModule(), gated(gate), TrainOptions.none());
        await().atMost(WAIT).until(() -> blocking.info().status() == JobStatus.RUNNING);
        List<ModelFuture> queued = new ArrayList<>();
        for (Object[] spec : new Object[][] {{"low-a", 0}, {"high-a", 5}, {"low-b", 0}, {"below", -1}, {"high-b", 5}}) {
            clock.advance(Duration.ofSeconds(1));
            queued.add(trainer.train(
                    new SampleModule(),
                    SampleModule.Params.defaults(),
                    TrainOptions.none().withModelName((String) spec[0]).withPriority((Integer) spec[1])));
        }
        queued.add(trainer.resume(
                new SampleModule(),
                SampleModule.Params.defaults(),
                TrainOptions.none().withModelName("resumed"),
                new dev.kiln.trainer.Resumption("resumed-id", beforeAll, null, false)));
        assertThat(queued).allSatisfy(f -> assertThat(f.info().status()).isEqualTo(JobStatus.QUEUED));
        assertThat(trainer.queueLength()).isEqualTo(6);

        Files.writeString(gate, "go");
        for (ModelFuture f : queued) {
            assertThat(f.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        }
        assertThat(started).containsExactly(null, "high-a", "high-b", "resumed", "low-a", "low-b", "below");
    }

    @Test
    void jobsBeyondTheLimitWaitFirstInFirstOut() throws Exception {
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withMaxConcurrentJobs(2));
        Path gate1 = tmp.resolve("g1");
        Path gate2 = tmp.resolve("g2");
        Path gate3 = tmp.resolve("g3");
        ModelFuture first = trainer.train(new SampleModule(), gated(gate1), TrainOptions.none());
        ModelFuture second = trainer.train(new SampleModule(), gated(gate2), TrainOptions.none());
        ModelFuture third = trainer.train(new SampleModule(), gated(gate3), TrainOptions.none());
        ModelFuture fourth = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());

        assertThat(first.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(second.info().status()).isEqualTo(JobStatus.RUNNING);
        assertThat(third.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(fourth.info().status()).isEqualTo(JobStatus.QUEUED);
        assertThat(trainer.queueLength()).isEqualTo(2);

        Files.writeString(gate2, "go");
        await().atMost(WAIT).until(() -> third.info().status() == JobStatus.RUNNING);
        assertThat(fourth.info().status()).isEqualTo(JobStatus.QUEUED);

        Files.writeString(gate1, "go");
        assertThat(fourth.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        Files.writeString(gate3, "go");
        assertThat(third.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(first.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void aQueuedJobRunsOnTheThreadThatFreedItsSlot() throws Exception {
        AtomicInteger handedToExecutor = new AtomicInteger();
        ExecutorService pool = Executors.newCachedThreadPool();
        try {
            LocalModelTrainer trainer = LocalModelTrainer.builder()
                    .settings(LocalTrainerSettings.defaults().withMaxConcurrentJobs(1))
                    .clock(new FakeClock())
                    .executor(task -> {
                        handedToExecutor.incrementAndGet();
                        pool.execute(task);
                    })
                    .build();
            trainers.add(trainer);
            Path gate = tmp.resolve("gate");
            ModelFuture first = trainer.train(new SampleModule(), gated(gate), TrainOptions.none());
            ModelFuture second = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
            ModelFuture third = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
            assertThat(second.info().status()).isEqualTo(JobStatus.QUEUED);

            Files.writeString(gate, "go");
            for (ModelFuture f : List.of(first, second, third)) {
                assertThat(f.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
            }
            assertThat(handedToExecutor).hasValue(1);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void cancellingAQueuedJobRemovesItWithoutRunning() throws Exception {
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withMaxConcurrentJobs(1));
        Path gate = tmp.resolve("gate");
        Path neverStarted = tmp.resolve("never-started");
        ModelFuture running = trainer.train(new SampleModule(), gated(gate), TrainOptions.none());
        ModelFuture queued = trainer.train(
                new SampleModule(), SampleModule.Params.defaults().withGate(null, neverStarted), TrainOptions.none());
        ModelFuture next = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());

        queued.cancel();
        assertThat(queued.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(queued.info().started()).isNull();
        assertThat(trainer.queueLength()).isEqualTo(1);

        Files.writeString(gate, "go");
        assertThat(next.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(running.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        assertThat(neverStarted).doesNotExist();
    }

    /** A trainer with a max_duration of ten minutes, on fake time. */
    private LocalModelTrainer tenMinutesAtMost(FakeScheduler time) {
        LocalModelTrainer trainer = LocalModelTrainer.builder()
                .settings(LocalTrainerSettings.defaults().withMaxDuration(Duration.ofMinutes(10)))
                .clock(time.clock())
                .scheduler(time)
                .build();
        trainers.add(trainer);
        return trainer;
    }

    @Test
    void aJobThatRunsPastMaxDurationErrorsWithATimeout() throws Exception {
        FakeScheduler time = new FakeScheduler();
        LocalModelTrainer trainer = tenMinutesAtMost(time);
        ModelFuture future = trainer.train(
                new SampleModule(),
                gated(tmp.resolve("never-opened")),
                TrainOptions.saveTo(tmp.resolve("never-saved")));
        Instant started = future.info().started();
        assertThat(future.info().status()).isEqualTo(JobStatus.RUNNING);

        time.advance(Duration.ofMinutes(10).minusNanos(1));
        assertThat(future.info().status()).as("not yet past max_duration").isEqualTo(JobStatus.RUNNING);
        time.advance(Duration.ofNanos(1));

        JobInfo info = future.info();
        assertThat(info.status()).isEqualTo(JobStatus.ERRORED);
        assertThat(info.completed()).isEqualTo(started.plus(Duration.ofMinutes(10)));
        assertThat(info.errors()).singleElement().satisfies(e -> {
            assertThat(e.kind()).isEqualTo(JobError.Kind.TIMEOUT);
            assertThat(e.message()).contains(future.id()).contains("max_duration");
        });
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.ERRORED);
        assertThat(tmp.resolve("never-saved")).doesNotExist();
    }

    @Test
    void aJobThatEndsInTimeCancelsItsTimeout() throws Exception {
        FakeScheduler time = new FakeScheduler();
        LocalModelTrainer trainer = tenMinutesAtMost(time);
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        await("the worker let go and the timeout went").atMost(WAIT).until(() -> time.pending() == 0);
    }

    @Test
    void purgingCostsTheJobsPurgedNotTheJobsRetained() throws Exception {
        FakeClock clock = new FakeClock();
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withRetention(Duration.ofHours(1)), clock);
        List<ModelFuture> old = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            old.add(trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none()));
        }
        for (ModelFuture f : old) {
            f.await(WAIT);
        }
        clock.advance(Duration.ofMinutes(30));
        List<ModelFuture> recent = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            recent.add(trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none()));
        }
        for (ModelFuture f : recent) {
            f.await(WAIT);
        }

        long before = trainer.purgeExamined();
        for (int i = 0; i < 1000; i++) {
            trainer.find(recent.get(i).id());
        }
        assertThat(trainer.purgeExamined() - before)
                .as("examined per lookup with nothing expired")
                .isLessThan(1001);

        clock.advance(Duration.ofMinutes(31));
        before = trainer.purgeExamined();
        assertThat(trainer.find(old.get(0).id())).isEmpty();
        assertThat(trainer.purgeExamined() - before)
                .as("examined to purge 50 jobs")
                .isEqualTo(51);
        assertThat(trainer.find(recent.get(0).id())).isPresent();
        assertThat(trainer.list()).hasSize(2000);
    }

    @Test
    void purgeDeletesOnlyADirectoryTheJobCreated() throws Exception {
        FakeClock clock = new FakeClock();
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withRetention(Duration.ofHours(1)), clock);
        Path existing = tmp.resolve("existing");
        ModelFormat.save(new SampleModel(1, 0), existing, null);
        Path fresh = tmp.resolve("fresh");

        ModelFuture overExisting =
                trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.saveTo(existing));
        ModelFuture created =
                trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.saveTo(fresh));
        ModelFuture failed = trainer.train(
                new SampleModule(),
                SampleModule.Params.defaults().withBatchSize(SampleModule.POISON_PILL_BATCH_SIZE),
                TrainOptions.saveTo(existing));
        overExisting.await(WAIT);
        created.await(WAIT);
        failed.await(WAIT);
        assertThat(fresh).exists();

        clock.advance(Duration.ofHours(2));
        assertThat(trainer.find(created.id())).isEmpty();
        assertThat(fresh).doesNotExist();
        assertThat(existing).exists();
        assertThat(ModelFormat.load(existing)).isInstanceOf(SampleModel.class);
    }

    @Test
    void listenersSeeEveryLifecycleEventInOrder() throws Exception {
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults());
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        trainer.addListener(events::add);
        ModelFuture f =
                trainer.train(new SampleModule(), SampleModule.Params.defaults().withSteps(2), TrainOptions.none());
        f.await(WAIT);
        assertThat(events)
                .extracting(JobEvent::kind)
                .containsExactly(
                        JobEvent.Kind.SUBMITTED,
                        JobEvent.Kind.STARTED,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.PROGRESS,
                        JobEvent.Kind.FINISHED);
        assertThat(events.get(4).info().status()).isEqualTo(JobStatus.COMPLETED);
    }

    @Test
    void eachEventAndTheFutureSeeTheSnapshotOfTheirTransitionExactly() throws Exception {
        FakeClock clock = new FakeClock();
        Instant t0 = clock.instant();
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults(), clock);
        List<JobEvent> events = new CopyOnWriteArrayList<>();
        trainer.addListener(e -> {
            events.add(e);
            clock.advance(Duration.ofSeconds(1)); // each transition after this one happens a second later
        });
        ModelFuture f = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        JobInfo ended = f.await(WAIT);

        assertThat(events)
                .extracting(JobEvent::kind)
                .containsExactly(JobEvent.Kind.SUBMITTED, JobEvent.Kind.STARTED, JobEvent.Kind.FINISHED);
        JobInfo queued = JobInfo.queued(f.id(), t0);
        // a job that takes a free slot as it is submitted starts at its submission's clock reading
        JobInfo running = queued.running(t0);
        assertThat(events.get(0).info()).isEqualTo(queued);
        assertThat(events.get(1).info()).isEqualTo(running);
        assertThat(events.get(1).info().attempts())
                .containsExactly(new Attempt(1, t0, null, Attempt.Outcome.RUNNING, null));
        assertThat(events.get(2).info())
                .isEqualTo(running.finished(JobStatus.COMPLETED, List.of(), t0.plusSeconds(2)))
                .isEqualTo(ended)
                .isEqualTo(f.info());
    }

    @Test
    void aJobThatWaitsForASlotStartsWhenItGetsOneAndOneThatDoesNotAtItsSubmission() throws Exception {
        FakeClock clock = new FakeClock();
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults().withMaxConcurrentJobs(1), clock);
        Path gate = tmp.resolve("slot-gate");
        Instant t0 = clock.instant();
        ModelFuture first = trainer.train(new SampleModule(), gated(gate), TrainOptions.none());
        clock.advance(Duration.ofSeconds(1));
        ModelFuture second = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(second.info().status()).isEqualTo(JobStatus.QUEUED);
        clock.advance(Duration.ofSeconds(1));

        Files.writeString(gate, "go");
        assertThat(first.await(WAIT).status()).isEqualTo(JobStatus.COMPLETED);
        JobInfo waited = second.await(WAIT);

        assertThat(first.info().submitted()).isEqualTo(t0);
        assertThat(first.info().started()).isEqualTo(t0);
        assertThat(waited.submitted()).isEqualTo(t0.plusSeconds(1));
        assertThat(waited.started()).isEqualTo(t0.plusSeconds(2));
    }

    @Test
    void modelNamesAndExternalIdsMustBeSinglePathSegments() {
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults());
        assertThatThrownBy(() -> trainer.train(
                        new SampleModule(),
                        SampleModule.Params.defaults(),
                        TrainOptions.saveTo(tmp).withModelName("../escape")))
                .hasMessageContaining("model_name")
                .hasMessageContaining("../escape");
        assertThatThrownBy(() -> trainer.train(
                        new SampleModule(),
                        SampleModule.Params.defaults(),
                        TrainOptions.none().withExternalTrainingId("a/b")))
                .hasMessageContaining("external_training_id");
        assertThat(trainer.list()).isEmpty();
    }

    @Test
    void closingCancelsWhatIsStillRunning() throws Exception {
        LocalModelTrainer trainer = trainer(LocalTrainerSettings.defaults());
        assertThat(trainer.jobsOutliveProcess())
                .as("its jobs die with the process")
                .isFalse();
        ModelFuture f = trainer.train(new SampleModule(), gated(tmp.resolve("never")), TrainOptions.none());
        trainer.close();
        assertThat(f.info().status()).isEqualTo(JobStatus.CANCELED);
        assertThatThrownBy(() -> trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none()))
                .hasMessageContaining("closed");
    }

    @Test
    void aTrainerClosedWhileAJobStartsLeavesNoTimerThreadBehind() throws Exception {
        LocalModelTrainer trainer = LocalModelTrainer.builder()
                .name("closed-while-starting")
                .settings(LocalTrainerSettings.defaults().withMaxDuration(Duration.ofHours(1)))
                .build();
        trainers.add(trainer);
        // the listener runs between the trainer's closed check and its timeout scheduling
        trainer.addListener(event -> {
            if (event.kind() == JobEvent.Kind.STARTED) {
                trainer.close();
            }
        });
        ModelFuture future = trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none());
        assertThat(future.await(Duration.ofMinutes(1)).status().isTerminal()).isTrue();

        assertThat(Thread.getAllStackTraces().keySet())
                .extracting(Thread::getName)
                .noneMatch(n -> n.startsWith("kiln-closed-while-starting-timer"));
    }

    @Test
    void closingNeverStartsAQueuedJobInTheSlotACancelledOneFrees() {
        List<String> started = new CopyOnWriteArrayList<>();
        LocalModelTrainer trainer = LocalModelTrainer.builder()
                .settings(LocalTrainerSettings.defaults().withMaxConcurrentJobs(1))
                .runner(t -> new JobRunner() {
                    @Override
                    public void start(RunnerJob job) {
                        started.add(job.id());
                    }

                    @Override
                    public void stop(RunnerJob job) {
                        job.workerFinished(); // lets go of the slot before close() reaches the next job
                    }

                    @Override
                    public void close() {}
                })
                .build();
        trainers.add(trainer);
        List<ModelFuture> running = new ArrayList<>();
        List<ModelFuture> queued = new ArrayList<>();
        running.add(trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none()));
        for (int i = 0; i < 20; i++) {
            queued.add(trainer.train(new SampleModule(), SampleModule.Params.defaults(), TrainOptions.none()));
        }
        assertThat(queued).allSatisfy(f -> assertThat(f.info().status()).isEqualTo(JobStatus.QUEUED));

        trainer.close();

        assertThat(started).containsExactly(running.get(0).id());
        assertThat(running.get(0).info().status()).isEqualTo(JobStatus.CANCELED);
        assertThat(queued).allSatisfy(f -> {
            assertThat(f.info().status()).isEqualTo(JobStatus.CANCELED);
            assertThat(f.info().started()).as("never started").isNull();
        });
    }

    @Test
    void savePathsAreBuiltAsCaikitBuildsThem() {
        Path base = Path.of("/models");
        assertThat(SavePaths.resolve(null, true, "id", "name")).isNull();
        assertThat(SavePaths.resolve(base, false, "id", null)).isEqualTo(base);
        assertThat(SavePaths.resolve(base, true, "id", null)).isEqualTo(Path.of("/models/id"));
        assertThat(SavePaths.resolve(base, true, "id", "name")).isEqualTo(Path.of("/models/id/name"));
        assertThat(SavePaths.resolve(base, false, "id", "name")).isEqualTo(Path.of("/models/name"));
        assertThat(SavePaths.resolve(Path.of("/models/id"), true, "id", "name")).isEqualTo(Path.of("/models/id/name"));
        assertThat(SavePaths.resolve(Path.of("/models/name"), false, "id", "name"))
                .isEqualTo(Path.of("/models/name"));
    }
}
