package dev.kiln.server.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.data.FileSourcePolicy;
import dev.kiln.job.JobError;
import dev.kiln.job.JobStatus;
import dev.kiln.json.Parameters;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleType;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.Resumption;
import java.time.Instant;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submits again the trainings the journal shows unfinished on trainers that resume interrupted trainings
 * ({@code resume_interrupted}): each keeps its id, save path, parameters, module, submission time, priority and
 * progress, and its module resumes from its checkpoints. A training that cannot be submitted again (its module is
 * gone, or its parameters no longer bind) is recorded as interrupted, saying why.
 */
final class TrainingResumer {
    private static final Logger LOG = LoggerFactory.getLogger(TrainingResumer.class);
    private static final Comparator<JobRecord> QUEUE_ORDER = Comparator.comparingInt(
                    (JobRecord r) -> -r.options().priority())
            .thenComparing(r -> r.info().submitted());

    private final ModelManager manager;
    private final JobJournal journal;
    private final ResumingTrainings resuming;
    private final FileSourcePolicy dataFiles;

    TrainingResumer(ModelManager manager, JobJournal journal, ResumingTrainings resuming, FileSourcePolicy dataFiles) {
        this.manager = manager;
        this.journal = journal;
        this.resuming = resuming;
        this.dataFiles = dataFiles;
    }

    /** The names of the configured trainers that resume interrupted trainings. */
    Set<String> trainerNames() {
        Set<String> names = new LinkedHashSet<>();
        for (ModelTrainer t : manager.trainers()) {
            if (t.resumesInterrupted() && !t.jobsOutliveProcess()) {
                names.add(t.name());
            }
        }
        return names;
    }

    /**
     * Submits {@code records} again in their queue order (priority, then submission), so the first free slots go to
     * the trainings that held them; {@code at} is the time recorded for those that cannot be.
     *
     * @return the ids of the trainings submitted again
     */
    List<String> resume(List<JobRecord> records, Instant at) {
        return records.stream()
                .sorted(QUEUE_ORDER)
                .filter(r -> resumeOne(r, at))
                .map(JobRecord::trainingId)
                .toList();
    }

    private boolean resumeOne(JobRecord summary, Instant at) {
        String id = summary.trainingId();
        resuming.add(id);
        try {
            JobRecord r = journal.find(id).orElse(summary);
            ModelTrainer trainer = manager.trainer(r.trainer());
            ModuleType<?, ?> module = manager.modules().byId(r.module().id());
            Resumption resumption =
                    new Resumption(id, r.info().submitted(), r.info().progress(), r.savePathExisted());
            submit(trainer, module, r, resumption, dataFiles);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("Training {} could not be resumed: {}", id, e.getMessage());
            journal.recordFinished(
                    id,
                    JobStatus.ERRORED,
                    at,
                    List.of(JobError.of(JobError.Kind.INTERRUPTED, Interruption.unresumableReason(e.getMessage()))),
                    "");
            return false;
        } finally {
            resuming.remove(id);
        }
    }

    private static <P> void submit(
            ModelTrainer trainer,
            ModuleType<P, ?> module,
            JobRecord r,
            Resumption resumption,
            FileSourcePolicy dataFiles) {
        JsonNode parameters = Optional.ofNullable(r.parameters())
                .orElseThrow(() -> new IllegalStateException("the journal holds no parameters for it"));
        P bound = Parameters.bind(
                module.parametersType(), parameters, module.descriptor().name(), dataFiles);
        trainer.resume(module, bound, r.options(), resumption);
    }
}
