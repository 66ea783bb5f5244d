package dev.kiln.slurm;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.slurm.jobdir.SlurmJobDirectory;
import dev.kiln.slurm.jobdir.SlurmJobRecord;
import dev.kiln.slurm.scheduler.SlurmCommands;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Re-attaches a new trainer to the jobs recorded in its work directory: finished ones keep their recorded state,
 * the others are followed again. A record left without a Slurm job id (the trainer stopped during sbatch) is
 * matched to its job by name and script with squeue, or else ends ERRORED.
 */
final class JobReattacher {
    private static final Logger LOG = LoggerFactory.getLogger(JobReattacher.class);

    private final SlurmModelTrainer trainer;
    private final SlurmCommands commands;

    JobReattacher(SlurmModelTrainer trainer, SlurmCommands commands) {
        this.trainer = trainer;
        this.commands = commands;
    }

    /** Adopts every recorded training under {@code workDir}; a missing work directory holds none. */
    void reattach(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        List<SlurmTrainingJob> finished = new ArrayList<>();
        int followed = 0;
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(workDir)) {
            for (Path path : dirs) {
                String dirName = path.getFileName().toString();
                SlurmJobDirectory dir = new SlurmJobDirectory(path);
                if (dirName.startsWith(".") || !Files.isRegularFile(dir.record())) {
                    continue;
                }
                SlurmJobRecord record;
                try {
                    record = SlurmJobRecord.read(dir.record());
                } catch (IOException e) {
                    LOG.warn("Not re-attaching to {}: {}", path, e.getMessage());
                    continue;
                }
                if (!record.trainingId().equals(dirName)) {
                    LOG.warn("Not re-attaching to {}: its record is of training {}", path, record.trainingId());
                    continue;
                }
                if (adopt(record, dir, finished)) {
                    followed++;
                }
            }
        } catch (IOException e) {
            throw new KilnException(
                    ErrorCode.UNAVAILABLE,
                    "Cannot read the work directory " + workDir + " of trainer " + trainer.name() + ": " + e,
                    e);
        }
        trainer.adoptFinished(finished);
        if (followed + finished.size() > 0) {
            LOG.info(
                    "Trainer {} re-attached to {} trainings in {}, {} of them still followed",
                    trainer.name(),
                    followed + finished.size(),
                    workDir,
                    followed);
        }
    }

    /** Adopts one recorded training; true if it is followed again. */
    private boolean adopt(SlurmJobRecord record, SlurmJobDirectory dir, List<SlurmTrainingJob> finished) {
        if (record.slurmJobId() == null) {
            Optional<String> found = findByName(record, dir);
            if (found.isPresent()) {
                record = record.withSlurmJobId(found.get());
                try {
                    record.writeTo(dir);
                } catch (IOException e) {
                    LOG.warn(
                            "Could not record Slurm job {} of training {}: {}",
                            found.get(),
                            record.trainingId(),
                            e.toString());
                }
            }
        }
        SlurmTrainingJob job = new SlurmTrainingJob(trainer, record, dir);
        boolean terminal = record.status().isTerminal();
        boolean follow = record.slurmJobId() != null && record.slurmState() == null;
        trainer.adopt(job, follow);
        if (terminal) {
            finished.add(job);
        } else if (record.slurmJobId() == null) {
            job.interrupted(SlurmModelTrainer.interruptedSubmission(record.trainingId()));
        }
        return follow;
    }

    private Optional<String> findByName(SlurmJobRecord record, SlurmJobDirectory dir) {
        try {
            return commands.findJob(JobSubmitter.jobName(record.trainingId()), dir.script());
        } catch (KilnException e) {
            LOG.warn("Could not look for the Slurm job of training {}: {}", record.trainingId(), e.getMessage());
            return Optional.empty();
        }
    }
}
