package dev.kiln.bench.scenario;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.BenchTrainers;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.bench.modules.SleepModule;
import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.local.LocalModelTrainer;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.TrainOptions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * {@code d_cancel_latency}: cancel a training of the sleep module once it is running, in thread mode and in a spawned
 * child JVM. From just before {@code cancel()}: how long the call takes, until the status reads CANCELED, and until
 * the worker is gone (the training thread left the module, or the child process exited). The child JVM is measured
 * with the default {@code cancel_grace_period} ({@code 0s}: killed at once), then with {@code 10s}, where the child
 * gets SIGTERM and stops cooperatively (its context reports the cancellation, it cleans up and says
 * {@code cancelled}, then it is killed).
 */
public final class CancelScenario implements Scenario {
    static final String NAME = "d_cancel_latency";
    private static final SleepModule SLEEP = new SleepModule();
    private static final SleepModule.Params PARAMS = new SleepModule.Params(60, 0.001);
    private static final long WAIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    /** The default first: the {@code ratios} line reads the first subprocess line. */
    private static final List<String> GRACE_PERIODS = List.of("0s", "10s");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void run(BenchRun run) throws Exception {
        try (LocalModelTrainer trainer = BenchTrainers.thread("1d")) {
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "thread");
            measure(run, trainer, false, 5, run.size(50, 20), line);
        }
        Optional<String> unsupported = BenchTrainers.subprocessUnsupported(run.directory("probe-work"));
        for (String grace : GRACE_PERIODS) {
            Map<String, Object> line = BenchOutput.line(NAME);
            line.put("mode", "subprocess");
            line.put("start_method", "spawn");
            line.put("cancel_grace_period", grace);
            if (unsupported.isPresent()) {
                line.put("unsupported", unsupported.get());
                run.emit(line);
                continue;
            }
            try (LocalModelTrainer trainer = BenchTrainers.subprocess(
                    "spawn", run.childWorkDir(), run.options().javaHome(), grace)) {
                measure(run, trainer, true, 1, run.size(10, 3), line);
            }
        }
    }

    private static void measure(
            BenchRun run, LocalModelTrainer trainer, boolean childProcess, int warmUp, int n, Map<String, Object> line)
            throws Exception {
        Samples call = new Samples(n);
        Samples canceled = new Samples(n);
        Samples gone = new Samples(n);
        for (int i = 0; i < warmUp + n; i++) {
            ModelFuture future = trainer.train(SLEEP, PARAMS, TrainOptions.none());
            long pid = awaitStarted(future);
            Optional<ProcessHandle> child = childProcess ? ProcessHandle.of(pid) : Optional.empty();
            if (childProcess && child.isEmpty()) {
                throw new IllegalStateException(
                        "Training " + future.id() + " reported pid " + pid + " but no such process is running");
            }
            long t0 = System.nanoTime();
            future.cancel();
            long t1 = System.nanoTime();
            long deadline = t0 + WAIT_NANOS;
            while (future.info().status() != JobStatus.CANCELED) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(
                            "Training " + future.id() + " is " + future.info().status() + " a minute after cancel()");
                }
                Thread.onSpinWait();
            }
            long t2 = System.nanoTime();
            long t3;
            if (childProcess) {
                child.get().onExit().get(60, TimeUnit.SECONDS);
                t3 = System.nanoTime();
            } else {
                t3 = SleepModule.exit(future.id()).get(60, TimeUnit.SECONDS);
                SleepModule.forget(future.id());
            }
            if (i >= warmUp) {
                call.add(t1 - t0);
                canceled.add(t2 - t0);
                gone.add(t3 - t0);
            }
            if (childProcess) {
                run.progress(
                        NAME + " subprocess " + line.get("cancel_grace_period") + " " + (i + 1) + "/" + (warmUp + n));
            }
        }
        line.put("n", n);
        line.put("cancel_call", median(call));
        line.put("to_status_canceled", median(canceled));
        line.put("to_worker_finished", median(gone));
        run.emit(line);
    }

    /** Waits until the sleep module reported that it started, and returns the process id it runs in. */
    private static long awaitStarted(ModelFuture future) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT_NANOS;
        while (true) {
            JobInfo info = future.info();
            if (info.progress() != null && info.progress().metrics().containsKey("pid")) {
                return info.progress().metrics().get("pid").longValue();
            }
            if (info.status().isTerminal()) {
                throw new IllegalStateException(
                        "Training " + future.id() + " ended " + info.status() + " before it started: " + info.errors());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Training " + future.id() + " did not start within a minute");
            }
            Thread.sleep(0, 200_000);
        }
    }

    private static Map<String, Object> median(Samples samples) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("median_ms", Samples.round(samples.medianMs()));
        return summary;
    }
}
