package dev.kiln.testing;

import dev.kiln.data.DataStream;
import dev.kiln.module.Checkpoint;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleInfo;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Param;
import dev.kiln.module.RetryableTrainingException;
import dev.kiln.module.TrainingContext;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A module for tests, like caikit's sample_lib SampleModule. Its parameters steer it: block on a gate file, sleep
 * in increments, fail with a poison-pill batch size, exit the process, allocate memory, ignore cancellation. Gates
 * are files so they work the same in a thread, a child JVM or on a Slurm node.
 */
@ModuleInfo(id = "00110203-0405-0607-0809-0a0b0c0d0e0f", name = "SampleModule", version = "0.0.1", task = "SampleTask")
public final class SampleModule implements ModuleType<SampleModule.Params, SampleModel> {
    /** The batch size that makes training fail, as in caikit's sample module. */
    public static final int POISON_PILL_BATCH_SIZE = 999;

    /** Parameters of {@link SampleModule}. */
    public record Params(
            @Param(description = "Training records") DataStream<SampleRecord> trainingData,

            @Param(defaultValue = "64", description = "Batch size; 999 fails the training")
            int batchSize,

            @Param(defaultValue = "0", description = "Seconds to sleep")
            double sleepTime,

            @Param(defaultValue = "0.01", description = "Sleep increment in seconds")
            double sleepIncrement,

            @Param(description = "Wait until this file exists before finishing")
            String gateFile,

            @Param(description = "Create this file when training starts")
            String startedFile,

            @Param(defaultValue = "false", description = "Keep running after cancellation")
            boolean ignoreCancel,

            @Param(description = "Call System.exit with this code")
            Integer exitCode,

            @Param(defaultValue = "false", description = "Call Runtime.halt(3)")
            boolean halt,

            @Param(defaultValue = "0", description = "Megabytes to allocate and hold")
            int allocateMb,

            @Param(defaultValue = "0", description = "Progress steps to report")
            int steps,

            @Param(description = "A model to continue from") SampleModel baseModel,

            @Param(defaultValue = "0", description = "Steps to checkpoint, resuming after the latest checkpoint")
            int checkpointSteps,

            @Param(description = "Append the step each attempt resumed from to this file")
            String attemptLog,

            @Param(
                    defaultValue = "0",
                    description = "How many attempts fail (retryably) after their first checkpointed step")
            int failingAttempts) {

        /** Parameters with every default. */
        public static Params defaults() {
            return new Params(null, 64, 0, 0.01, null, null, false, null, false, 0, 0, null, 0, null, 0);
        }

        public Params withBatchSize(int v) {
            return new Params(
                    trainingData,
                    v,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        /**
         * Parameters whose first {@code failing} attempts each checkpoint one more of {@code steps} steps and then fail
         * with a {@link dev.kiln.module.RetryableTrainingException}; every attempt logs the step it resumed from to
         * {@code log}, which also counts the attempts across JVMs.
         */
        public Params withFailingAttempts(int failing, int steps, Path log) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    this.steps,
                    baseModel,
                    steps,
                    log.toString(),
                    failing);
        }

        public Params withCheckpoints(int steps, Path log) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    steps,
                    log == null ? null : log.toString(),
                    failingAttempts);
        }

        public Params withTrainingData(DataStream<SampleRecord> v) {
            return new Params(
                    v,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withSleep(double time, double increment) {
            return new Params(
                    trainingData,
                    batchSize,
                    time,
                    increment,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withGate(Path gate, Path started) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gate == null ? null : gate.toString(),
                    started == null ? null : started.toString(),
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withIgnoreCancel(boolean v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    v,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withExitCode(Integer v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    v,
                    halt,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withHalt(boolean v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    v,
                    allocateMb,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withAllocateMb(int v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    v,
                    steps,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withSteps(int v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    v,
                    baseModel,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }

        public Params withBaseModel(SampleModel v) {
            return new Params(
                    trainingData,
                    batchSize,
                    sleepTime,
                    sleepIncrement,
                    gateFile,
                    startedFile,
                    ignoreCancel,
                    exitCode,
                    halt,
                    allocateMb,
                    steps,
                    v,
                    checkpointSteps,
                    attemptLog,
                    failingAttempts);
        }
    }

    @Override
    public Class<Params> parametersType() {
        return Params.class;
    }

    @Override
    public SampleModel train(Params p, TrainingContext context) throws Exception {
        long resumedFrom = context.latestCheckpoint().map(Checkpoint::step).orElse(0L);
        if (p.attemptLog() != null) {
            Files.writeString(
                    Path.of(p.attemptLog()), resumedFrom + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
        int attempt = p.attemptLog() == null
                ? 1
                : Files.readAllLines(Path.of(p.attemptLog())).size();
        for (long step = resumedFrom + 1; step <= p.checkpointSteps(); step++) {
            context.throwIfCancelled();
            context.saveCheckpoint(step, ("state at step " + step).getBytes(StandardCharsets.UTF_8));
            context.reportProgress(step, p.checkpointSteps(), Map.of());
            if (attempt <= p.failingAttempts()) {
                throw new RetryableTrainingException("Attempt " + attempt + " failed after step " + step);
            }
        }
        if (p.startedFile() != null) {
            Files.writeString(
                    Path.of(p.startedFile()),
                    String.valueOf(ProcessHandle.current().pid()));
        }
        if (p.batchSize() == POISON_PILL_BATCH_SIZE) {
            throw new IllegalArgumentException("Batch size of " + POISON_PILL_BATCH_SIZE + " is not allowed!");
        }
        if (p.exitCode() != null) {
            System.exit(p.exitCode());
        }
        if (p.halt()) {
            Runtime.getRuntime().halt(3);
        }
        List<byte[]> held = new ArrayList<>();
        for (int i = 0; i < p.allocateMb(); i++) {
            held.add(new byte[1 << 20]);
        }
        for (int step = 1; step <= p.steps() && p.checkpointSteps() == 0; step++) {
            if (!p.ignoreCancel()) {
                context.throwIfCancelled();
            }
            context.logger().info("SampleModule step {}/{}", step, p.steps());
            context.reportProgress(step, p.steps(), Map.of("loss", 1.0 / step));
        }
        int seen = 0;
        if (p.trainingData() != null) {
            for (SampleRecord ignored : p.trainingData()) {
                seen++;
            }
        }
        long deadline = System.nanoTime() + (long) (p.sleepTime() * 1e9);
        while (System.nanoTime() < deadline || (p.gateFile() != null && !Files.exists(Path.of(p.gateFile())))) {
            if (!p.ignoreCancel()) {
                context.throwIfCancelled();
            }
            try {
                Thread.sleep(Math.max(1, (long) (p.sleepIncrement() * 1000)));
            } catch (InterruptedException e) {
                if (!p.ignoreCancel()) {
                    context.throwIfCancelled();
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
        int batch = p.baseModel() != null ? p.baseModel().batchSize() + p.batchSize() : p.batchSize();
        context.logger().info("SampleModule trained on {} records with batch size {}", seen, batch);
        return new SampleModel(batch, seen + held.size() * 0);
    }

    @Override
    public SampleModel load(ModelDirectory directory) throws Exception {
        return SampleModel.load(directory);
    }
}
