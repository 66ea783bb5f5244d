package dev.kiln.slurm;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.Settings;
import dev.kiln.json.KilnJson;
import dev.kiln.slurm.scheduler.CommandResult;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SlurmTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/** The real Slurm the integration tests run against, and trainers set up to use it. */
final class SlurmCluster {
    static final String HOW_TO_RUN = "Start a single-node Slurm with `sudo scripts/slurm-up.sh` from the"
            + " repository root (stop it with scripts/slurm-down.sh), or set KILN_REQUIRE_SLURM=1 to make a missing Slurm"
            + " fail the build instead of skipping these tests.";

    private SlurmCluster() {}

    private static volatile boolean answered;

    /** Skips the calling test when no Slurm answers here, or fails it when KILN_REQUIRE_SLURM=1. */
    static void assumeRunning() {
        if (!answered) {
            assumeAnswers(commands(), System.getenv("KILN_REQUIRE_SLURM"));
            answered = true;
        }
    }

    /** Skips the calling tests unless {@code scontrol ping} answers; fails them instead if {@code require} is 1. */
    static void assumeAnswers(SlurmCommands commands, String require) {
        try {
            commands.ping();
        } catch (RuntimeException e) {
            String message = "No Slurm controller answers (" + e.getMessage() + "). " + HOW_TO_RUN;
            if ("1".equals(require)) {
                Assertions.fail("KILN_REQUIRE_SLURM=1 but " + message);
            }
            Assumptions.abort(message);
        }
    }

    static SlurmCommands commands() {
        return new SlurmCommands(SlurmTools.onPath(), new ProcessCommandRunner(Duration.ofSeconds(30)));
    }

    /** Settings for a trainer on this machine's Slurm, with {@code config} on top. */
    static SlurmTrainerSettings settings(Path workDir, Map<String, Object> config) {
        Map<String, Object> all = new HashMap<>();
        all.put("work_dir", workDir.toString());
        all.put("poll_interval", "0.2s");
        all.putAll(config);
        JsonNode json = KilnJson.data().valueToTree(all);
        return SlurmTrainerSettings.from(new Settings("model_management.trainers.slurm-test.config", json));
    }

    /** A trainer on this machine's Slurm. */
    static SlurmModelTrainer trainer(Path workDir, Map<String, Object> config, Clock clock) {
        SlurmModelTrainer trainer = SlurmModelTrainer.builder()
                .name("slurm-test")
                .settings(settings(workDir, config))
                .clock(clock)
                .build();
        SlurmJobReport.follow(trainer);
        return trainer;
    }

    /**
     * Lets a job that {@code scontrol requeue} sent back run again without Slurm's two-minute hold. It waits until the
     * requeue has finished (the job PENDING for its begin time, no longer COMPLETING: setting a start time before
     * that is undone by the hold the requeue then sets), then sets its start time to the next second ({@code now+1}), not to
     * {@code now}. Slurm keeps a requeued job back so that its next run does not start in the second its earlier run
     * was killed in: slurmd compares the new launch credential's time with the kill's, in whole seconds, refuses a
     * launch that is not later ("Job N already killed, do not launch batch job"), and the job then ends FAILED with
     * exit code 1:0 before its batch script runs.
     */
    static void startRequeuedJob(String jobId) {
        await().atMost(Duration.ofSeconds(60))
                .until(() -> scontrol("-o", "show", "job", jobId).contains("JobState=PENDING Reason=BeginTime"));
        scontrol("update", "JobId=" + jobId, "StartTime=now+1");
    }

    /** What {@code scontrol} prints for these arguments; fails the test when it does not succeed. */
    static String scontrol(String... arguments) {
        List<String> command = new ArrayList<>();
        command.add("scontrol");
        command.addAll(List.of(arguments));
        try {
            CommandResult result = new ProcessCommandRunner(Duration.ofSeconds(30)).run(command);
            Assertions.assertTrue(result.succeeded(), () -> String.join(" ", command) + ": " + result.output());
            return result.stdout();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Cancels what the trainers still run and waits until Slurm has ended all their jobs, so no job writes into a
     * test's temporary directory while it is being deleted.
     */
    static void drain(List<SlurmModelTrainer> trainers) {
        for (SlurmModelTrainer t : trainers) {
            t.list().forEach(f -> f.cancel());
        }
        await().atMost(Duration.ofSeconds(60))
                .until(() -> trainers.stream().allMatch(t -> t.tracked().isEmpty()));
    }
}
