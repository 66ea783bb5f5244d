package dev.kiln.local.child;

import static org.awaitility.Awaitility.await;

import dev.kiln.config.Settings;
import dev.kiln.json.KilnJson;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.local.LocalTrainerSettings;
import dev.kiln.testing.FakeScheduler;
import dev.kiln.time.TrainerScheduler;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/** Builds LOCAL trainers with child JVMs for tests, keeps their runners at hand, and closes them all. */
final class ChildTrainers implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(60);

    private final Path workDir;
    private final List<LocalModelTrainer> trainers = new ArrayList<>();
    private final Map<LocalModelTrainer, ChildJvmRunner> runners = new IdentityHashMap<>();
    /** The trainers' timers ({@code max_duration}, the kill after the grace period) run on this fake time. */
    final FakeScheduler time = new FakeScheduler();
    /** What the trainers and their runners schedule on: {@link #time}, or a test's scheduler around it. */
    private final TrainerScheduler scheduler;

    ChildTrainers(Path workDir) {
        this(workDir, time -> time);
    }

    /** Trainers whose timers run on the scheduler {@code around} makes of {@link #time}. */
    ChildTrainers(Path workDir, Function<FakeScheduler, TrainerScheduler> around) {
        this.workDir = workDir;
        this.scheduler = around.apply(time);
    }

    /** A trainer with {@code use_subprocess: true} and these config keys on top. */
    LocalModelTrainer trainer(Map<String, Object> config) {
        return trainer(config, UnaryOperator.identity());
    }

    /** A trainer whose child-JVM options are adjusted by {@code tweak}. */
    LocalModelTrainer trainer(Map<String, Object> config, UnaryOperator<ChildJvmOptions> tweak) {
        Map<String, Object> all = new HashMap<>();
        all.put("use_subprocess", true);
        all.put("work_dir", workDir.toString());
        all.put("max_retries", 0); // these tests look at how one attempt ends; retries have tests of their own
        all.putAll(config);
        LocalTrainerSettings settings = LocalTrainerSettings.from(
                new Settings("test.config", KilnJson.data().valueToTree(all)));
        ChildJvmRunner[] runner = new ChildJvmRunner[1];
        LocalModelTrainer trainer = LocalModelTrainer.builder()
                .name("child-test")
                .settings(settings)
                .scheduler(scheduler)
                .runner(t -> runner[0] = new ChildJvmRunner(
                        t.name(),
                        tweak.apply(ChildJvmOptions.from(t.settings())),
                        t.settings().deleteResultsOnPurge(),
                        scheduler))
                .build();
        trainers.add(trainer);
        runners.put(trainer, runner[0]);
        return trainer;
    }

    /** The trainer that started {@code future}. */
    LocalModelTrainer trainerOf(dev.kiln.trainer.ModelFuture future) {
        return trainers.stream()
                .filter(t -> t.find(future.id()).orElse(null) == future)
                .findFirst()
                .orElseThrow();
    }

    ChildJvmRunner runner(LocalModelTrainer trainer) {
        return runners.get(trainer);
    }

    @Override
    public void close() {
        trainers.forEach(LocalModelTrainer::close);
    }

    /** The pid a {@code SampleModule} wrote to its started file, once it is there. */
    static long startedPid(Path startedFile) throws Exception {
        await().atMost(WAIT)
                .until(() -> Files.exists(startedFile)
                        && !Files.readString(startedFile).isBlank());
        return Long.parseLong(Files.readString(startedFile).trim());
    }

    /** Waits until no process with this pid is alive. */
    static void awaitGone(long pid) {
        await().atMost(WAIT)
                .until(() -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
