package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.bench.modules.InstantModule;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.module.Model;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code b_subprocess_train_wait_load_latency}: train in a child JVM with a save path, await, load the model in this
 * JVM; 20 timed after 1 warm-up, for {@code spawn} and {@code forkserver}. Before each training the harness pauses
 * (untimed, {@code pause_ms} in the line): two seconds for {@code forkserver}, so the pool's replacement worker has
 * started and warmed up as it has between trainings that are not back to back, and half a second for {@code spawn},
 * so the previous child's exit does not compete for the CPU. The warm-up training writes the child JVMs' class-data
 * archive (or ahead-of-time cache) as its JVM exits; the timed trainings start once it has.
 *
 * <p>Then {@code b_subprocess_back_to_back_latency} ({@code forkserver}): pairs of trainings, the second submitted the
 * moment the first was loaded, when the pool's worker has just been used; the line's figures are the second's.
 */
public final class SubprocessLatencyScenario implements Scenario {
    static final String NAME = "b_subprocess_train_wait_load_latency";
    static final String BACK_TO_BACK = "b_subprocess_back_to_back_latency";
    private static final long ARCHIVE_WAIT_NANOS = TimeUnit.MINUTES.toNanos(3);
    private static final Map<String, Long> PAUSE_MILLIS = Map.of("spawn", 500L, "forkserver", 2000L);

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Optional<String> unsupported = BenchTrainers.subprocessUnsupported(run.directory("probe-work"));
        for (String method : List.of("spawn", "forkserver")) {
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "subprocess");
            line.put("start_method", method);
            if (unsupported.isPresent()) {
                line.put("unsupported", unsupported.get());
                run.emit(line);
                if (method.equals("forkserver")) {
                    Map<String, Object> pairs = BenchOutput.line(BACK_TO_BACK);
                    pairs.put("start_method", method);
                    pairs.put("unsupported", unsupported.get());
                    run.emit(pairs);
                }
                continue;
            }
            int n = run.size(20, 3);
            Path saves = run.directory("b-" + method + "-models");
            long pause = PAUSE_MILLIS.get(method);
            try (LocalModelTrainer trainer = BenchTrainers.subprocess(
                    method, run.childWorkDir(), run.options().javaHome())) {
                Thread.sleep(pause);
                trainWaitLoad(trainer, saves.resolve("warm-up"));
                if (method.equals("spawn")) {
                    awaitChildrenGone();
                }
                Samples samples = new Samples(n);
                for (int i = 0; i < n; i++) {
                    Thread.sleep(pause);
                    long t0 = System.nanoTime();
                    trainWaitLoad(trainer, saves.resolve("model-" + i));
                    long took = System.nanoTime() - t0;
                    samples.add(took);
                    run.progress(NAME + " " + method + " " + (i + 1) + "/" + n + ": " + took / 1_000_000 + " ms");
                }
                line.put("n", n);
                line.put("median_ms", Samples.round(samples.medianMs()));
                line.put("p90_ms", Samples.round(samples.percentileMs(90)));
                line.put("pause_ms", pause);
                run.emit(line);
                if (method.equals("forkserver")) {
                    backToBack(run, trainer, saves, n, pause);
                }
            }
        }
    }

    private static void backToBack(BenchRun run, LocalModelTrainer trainer, Path saves, int n, long pause)
            throws InterruptedException {
        Samples first = new Samples(n);
        Samples second = new Samples(n);
        for (int i = 0; i < n; i++) {
            Thread.sleep(pause);
            long t0 = System.nanoTime();
            trainWaitLoad(trainer, saves.resolve("pair-" + i + "-a"));
            long t1 = System.nanoTime();
            trainWaitLoad(trainer, saves.resolve("pair-" + i + "-b"));
            long t2 = System.nanoTime();
            first.add(t1 - t0);
            second.add(t2 - t1);
            run.progress(BACK_TO_BACK + " " + (i + 1) + "/" + n + ": " + (t2 - t1) / 1_000_000 + " ms");
        }
        Map<String, Object> line = BenchOutput.line(BACK_TO_BACK);
        line.put("mode", "subprocess");
        line.put("start_method", "forkserver");
        line.put("n", n);
        line.put("median_ms", Samples.round(second.medianMs()));
        line.put("p90_ms", Samples.round(second.percentileMs(90)));
        line.put("first_median_ms", Samples.round(first.medianMs()));
        line.put("pause_ms", pause);
        run.emit(line);
    }

    /** Waits until this JVM's child processes have exited: the warm-up child writes its archive as it exits. */
    private static void awaitChildrenGone() throws InterruptedException {
        long deadline = System.nanoTime() + ARCHIVE_WAIT_NANOS;
        while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The warm-up child JVM did not exit within 3 minutes");
            }
            Thread.sleep(50);
        }
    }

    private static void trainWaitLoad(LocalModelTrainer trainer, Path savePath) throws InterruptedException {
        ModelFuture future = trainer.train(Jobs.INSTANT, InstantModule.PARAMS, TrainOptions.saveTo(savePath));
        Jobs.expectCompleted(future.await());
        Model model = future.load();
        if (model == null) {
            throw new IllegalStateException("Training " + future.id() + " loaded no model");
        }
    }
}
