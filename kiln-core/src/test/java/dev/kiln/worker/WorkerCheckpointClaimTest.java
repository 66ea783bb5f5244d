package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.kiln.checkpoint.CheckpointStore;
import dev.kiln.json.Parameters;
import dev.kiln.testing.SampleModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
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
        Path resumedFrom = tmp.resolve("resumed-from");
        JobSpec spec = spec("t-1", checkpoints, resumedFrom);
        Process earlier = holder(checkpoints, 9);
        try {
            BufferedReader said =
                    new BufferedReader(new InputStreamReader(earlier.getInputStream(), StandardCharsets.UTF_8));
            assertThat(said.readLine()).isEqualTo("held");

            CompletableFuture<Integer> exit = new CompletableFuture<>();
            Thread run = new Thread(() -> exit.complete(run(spec)), "resumed-attempt");
            run.start();
            await().atMost(WAIT).until(() -> waitsForALock(run));
            assertThat(resumedFrom).as("the module has not started").doesNotExist();

            OutputStream tell = earlier.getOutputStream();
            tell.write("save and go\n".getBytes(StandardCharsets.UTF_8));
            tell.flush();
            assertThat(exit.get(WAIT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(WorkerProtocol.EXIT_COMPLETED);
            assertThat(Files.readAllLines(resumedFrom)).containsExactly("9");
        } finally {
            earlier.destroyForcibly();
            earlier.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void theClaimIsLetGoWhenTheRunEnds() {
        Path checkpoints = tmp.resolve("checkpoints");

        assertThat(run(spec("t-2", checkpoints, tmp.resolve("resumed-from")))).isEqualTo(WorkerProtocol.EXIT_COMPLETED);
        // in one JVM a lock still held would be refused with an exception; a free one is granted
        Optional<CheckpointStore.Claim> next = new CheckpointStore(checkpoints, 2).tryClaim();
        assertThat(next).isPresent();
        next.get().close();
    }

    /**
     * A spec of the sample module resuming from its checkpoints in {@code checkpoints}: it reads the latest first, and
     * writes the step it resumes from to {@code resumedFrom}.
     */
    private JobSpec spec(String id, Path checkpoints, Path resumedFrom) {
        SampleModule.Params params = SampleModule.Params.defaults().withCheckpoints(9, resumedFrom);
        return new JobSpec(
                id,
                new SampleModule().descriptor().id(),
                Parameters.toJson(params),
                null,
                tmp.resolve("job"),
                checkpoints,
                2);
    }

    private static int run(JobSpec spec) {
        EventSink dropped = event -> {};
        return new WorkerRun(spec, dropped).execute();
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
}
