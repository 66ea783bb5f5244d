package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.module.ModelDirectory;
import dev.kiln.module.ModuleDescriptor;
import dev.kiln.module.ModuleType;
import dev.kiln.module.TrainingContext;
import dev.kiln.testing.SampleModel;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A worker claims its training's durable checkpoints before the module starts: a resumed attempt waits while a worker
 * of an earlier attempt (whose parent died) still holds them, sees what that worker saved last, and lets them go when
 * its run ends.
 */
class WorkerCheckpointClaimTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path tmp;

    @Test
    void aResumedAttemptStartsItsModuleOnlyOnceTheEarlierAttemptLetsTheCheckpointsGo() throws Exception {
        Path checkpoints = tmp.resolve("checkpoints");
        JobSpec spec = new JobSpec("t-1", ResumeStep.DESCRIPTOR.id(), null, null, tmp.resolve("job"), checkpoints, 2);
        Process earlier = holder(checkpoints, 9);
        try {
            BufferedReader said =
                    new BufferedReader(new InputStreamReader(earlier.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("held");

            ResumeStep module = new ResumeStep();
            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread run = new Thread(() -> exit.complete(run(spec, module)), "resumed-attempt");
            run.start();
            await().atMost(WAIT).until(() -> waitsForALock(run));
            assertThat(module.resumedFrom).as("the module has not started").isNotDone();

            OutputStream tell = earlier.getOutputStream();
            tell.write("save and go\n".getBytes(StandardCharsets.UTF_8));
            tell.flush();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WorkerProtocol.EXIT_COMPLETED);
            assertThat(module.resumedFrom).isCompletedWithValue(9L);
        } finally {
            earlier.destroyForcibly();
            earlier.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void theClaimIsLetGoWhenTheRunEnds() {
        Path checkpoints = tmp.resolve("checkpoints");
        JobSpec spec = new JobSpec("t-2", ResumeStep.DESCRIPTOR.id(), null, null, tmp.resolve("job"), checkpoints, 2);

        assertThat(run(spec, new ResumeStep())).isEqualTo(WorkerProtocol.EXIT_COMPLETED);
        // in one JVM a lock still held would be refused with an exception; a free one is granted
        Optional<CheckpointStore.Claim> next = new CheckpointStore(checkpoints, 2).tryClaim();
        assertThat(next).isPresent();
        next.get().close();
    }

    private static int run(JobSpec spec, ResumeStep module) {
        EventSink dropped = event -> {};
        return new WorkerRun(spec, dropped, module).execute();
    }

    private Process holder(Path checkpoints, long step) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        CheckpointClaimHolderMain.class.getName(),
                        checkpoints.toString(),
                        Long.toString(step))
                .redirectError(tmp.resolve("holder.err").toFile())
                .start();
    }

    /** Whether the thread is blocked in the operating system's file lock. */
    private static boolean waitsForALock(Thread thread) {
        return Arrays.stream(thread.getStackTrace())
                .anyMatch(frame -> frame.getMethodName().equals("lock")
                        && frame.getClassName().endsWith("FileChannelImpl"));
    }

    /** A module whose training reads the step of the latest checkpoint, as a resuming module does first. */
    private static final class ResumeStep implements ModuleType<ResumeStep.Params, SampleModel> {
        static final ModuleDescriptor DESCRIPTOR =
                new ModuleDescriptor("resume-step", "ResumeStep", "0", "test", ResumeStep.class.getName());

        final CompletableFuture<Long> resumedFrom = new CompletableFuture<>();

        record Params() {}

        @Override
        public Class<Params> parametersType() {
            return Params.class;
        }

        @Override
        public ModuleDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public SampleModel train(Params parameters, TrainingContext context) {
            resumedFrom.complete(context.latestCheckpoint().map(c -> c.step()).orElse(0L));
            return new SampleModel(1, 0);
        }

        @Override
        public SampleModel load(ModelDirectory directory) {
            throw new UnsupportedOperationException("never saved");
        }
    }
}
