package dev.kiln.slurm;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.SlurmCommands;
import dev.kiln.slurm.scheduler.SubmitOptions;
import dev.kiln.worker.JobSpec;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts a training's files in the shared work directory and submits its batch script. All or nothing: when any
 * step fails, the directory is removed (and a finished training's directory it was replacing is put back), so no
 * half-submitted job is left for a later trainer to re-attach to.
 */
final class JobSubmitter {
    private static final Logger LOG = LoggerFactory.getLogger(JobSubmitter.class);

    private final SlurmTrainerSettings settings;
    private final SlurmCommands commands;

    JobSubmitter(SlurmTrainerSettings settings, SlurmCommands commands) {
        this.settings = settings;
        this.commands = commands;
    }

    /** The sbatch options for a training in {@code dir} at {@code priority}. */
    SubmitOptions options(String trainingId, SlurmJobDirectory dir, int priority) {
        return new SubmitOptions(
                jobName(trainingId),
                Path.of(dir.output().toString().replace("%", "%%")),
                dir.path(),
                settings.partition(),
                settings.account(),
                settings.qos(),
                settings.timeLimit(),
                settings.cpusPerTask(),
                settings.mem(),
                settings.gres(),
                settings.checkpointGrace(),
                settings.nice(priority),
                settings.sbatchArgs());
    }

    /** The Slurm job name of a training: {@code kiln-} and the id, with anything unusual replaced. */
    static String jobName(String trainingId) {
        return "kiln-" + trainingId.replaceAll("[^A-Za-z0-9._-]", "_");
    }

    /**
     * Writes the spec, script and record of a training and submits it.
     *
     * @return the Slurm job id
     * @throws KilnException CONFLICT if another trainer on this work directory runs a training with this id,
     *     UNAVAILABLE naming the command and its output if Slurm rejects the job, INTERNAL if the files cannot be
     *     written
     */
    String submit(SlurmJobDirectory dir, JobSpec spec, SlurmJobRecord record, SubmitOptions options) {
        Path aside = moveAsideFinished(dir, record.trainingId());
        boolean created = false;
        boolean submitted = false;
        try {
            createDirectory(dir, record.trainingId());
            created = true;
            String jobId;
            try {
                dir.writeSpec(spec);
                Files.writeString(dir.script(), WorkerBatchScript.text(settings, record.trainingId(), dir.path()));
                record.writeTo(dir);
            } catch (IOException e) {
                throw new KilnException(
                        ErrorCode.INTERNAL,
                        "Could not write the files of training " + record.trainingId() + " to " + dir.path() + ": " + e,
                        e);
            }
            jobId = commands.submit(options, dir.script());
            try {
                record.withSlurmJobId(jobId).writeTo(dir);
            } catch (IOException e) {
                cancelQuietly(jobId);
                throw new KilnException(
                        ErrorCode.INTERNAL,
                        "Could not record Slurm job " + jobId + " of training " + record.trainingId() + " in "
                                + dir.record() + ", so it was cancelled: " + e,
                        e);
            }
            submitted = true;
            return jobId;
        } finally {
            if (submitted) {
                ModelFormat.deleteRecursively(aside);
            } else {
                if (created) {
                    ModelFormat.deleteRecursively(dir.path());
                }
                restore(aside, dir);
            }
        }
    }

    /**
     * Submits a training's batch script again, with the options it was first submitted with, after Slurm ended its
     * job in a way that is worth another attempt; the worker resumes from the latest checkpoint in the directory.
     *
     * @return the new Slurm job id
     * @throws KilnException UNAVAILABLE naming the command and its output if Slurm rejects the job
     */
    String resubmit(SlurmJobDirectory dir, SlurmJobRecord record) {
        return commands.submit(record.sbatchArguments(), dir.script());
    }

    /** Moves the directory of a finished training with the same id out of the way; refuses a running one's. */
    private static Path moveAsideFinished(SlurmJobDirectory dir, String trainingId) {
        if (!Files.exists(dir.path())) {
            return null;
        }
        try {
            SlurmJobRecord existing = SlurmJobRecord.read(dir.record());
            if (!existing.status().isTerminal()) {
                throw KilnException.conflict("Cannot restart training " + trainingId + " that is currently running");
            }
        } catch (NoSuchFileException e) {
            LOG.debug("Directory {} holds no job record; replacing it", dir.path());
        } catch (IOException e) {
            LOG.warn("Replacing {}, whose job record cannot be read: {}", dir.path(), e.getMessage());
        }
        Path aside = dir.path().resolveSibling("." + dir.path().getFileName() + ".replaced-" + UUID.randomUUID());
        try {
            Files.move(dir.path(), aside);
            return aside;
        } catch (IOException e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Could not move the directory of the earlier training " + trainingId + " out of the way: " + e,
                    e);
        }
    }

    private static void createDirectory(SlurmJobDirectory dir, String trainingId) {
        try {
            Files.createDirectories(dir.path().getParent());
            Files.createDirectory(dir.path());
        } catch (FileAlreadyExistsException e) {
            throw KilnException.conflict("Cannot restart training " + trainingId + " that is currently running");
        } catch (IOException e) {
            throw new KilnException(
                    ErrorCode.INTERNAL,
                    "Could not create the directory of training " + trainingId + " at " + dir.path() + ": " + e,
                    e);
        }
    }

    private static void restore(Path aside, SlurmJobDirectory dir) {
        if (aside == null) {
            return;
        }
        try {
            Files.move(aside, dir.path());
        } catch (IOException e) {
            LOG.warn(
                    "Could not put the directory of the earlier training back from {} to {}: {}",
                    aside,
                    dir.path(),
                    e.toString());
        }
    }

    private void cancelQuietly(String jobId) {
        try {
            commands.cancel(jobId);
        } catch (KilnException e) {
            LOG.warn("Could not cancel Slurm job {}: {}", jobId, e.getMessage());
        }
    }
}
