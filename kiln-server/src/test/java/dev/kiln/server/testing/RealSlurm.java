package dev.kiln.server.testing;

import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SlurmJobStatus;
import dev.kiln.slurm.scheduler.SlurmTools;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The real Slurm on this machine, as kiln-slurm's tests use it: a test that needs it is skipped, with how to run it,
 * when no controller answers {@code scontrol ping} — or fails when {@code KILN_REQUIRE_SLURM=1}.
 */
public final class RealSlurm {
    private static final String HOW_TO_RUN = "Start a single-node Slurm with `sudo scripts/slurm-up.sh` from"
            + " the repository root (stop it with scripts/slurm-down.sh), or set KILN_REQUIRE_SLURM=1 to make a missing Slurm"
            + " fail the build instead of skipping these tests.";

    private RealSlurm() {}

    /** Skips the calling test when no Slurm answers here, or fails it when KILN_REQUIRE_SLURM=1. */
    public static void assumeRunning() {
        try {
            commands().ping();
        } catch (RuntimeException e) {
            String message = "No Slurm controller answers (" + e.getMessage() + "). " + HOW_TO_RUN;
            if ("1".equals(System.getenv("KILN_REQUIRE_SLURM"))) {
                Assertions.fail("KILN_REQUIRE_SLURM=1 but " + message);
            }
            Assumptions.abort(message);
        }
    }

    /** Slurm's commands, from the PATH. */
    public static SlurmCommands commands() {
        return new SlurmCommands(SlurmTools.onPath(), new ProcessCommandRunner(Duration.ofSeconds(30)));
    }

    /** The Slurm job id a SLURM trainer on {@code workDir} recorded for a training. */
    public static String jobId(Path workDir, String trainingId) {
        try {
            String id = SlurmJobRecord.read(
                            SlurmJobDirectory.of(workDir, trainingId).record())
                    .slurmJobId();
            if (id == null) {
                throw new AssertionError("Training " + trainingId + " has no Slurm job id in " + workDir);
            }
            return id;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What Slurm's controller says of a job, if it still holds it. */
    public static Optional<SlurmJobStatus> job(String slurmJobId) {
        return Optional.ofNullable(commands().showJobs(List.of(slurmJobId)).get(slurmJobId));
    }
}
