package dev.kiln.server.jobs;

import dev.kiln.error.KilnException;
import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.manager.ModelManager;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobPage;
import dev.kiln.server.journal.JobQuery;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.ModelFuture;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every training the server knows: the trainers' live futures first (they are freshest), then the journal, which
 * also remembers trainings from before the server last started.
 */
public final class TrainingCatalog {
    private final ModelManager manager;
    private final JobJournal journal;

    public TrainingCatalog(ModelManager manager, JobJournal journal) {
        this.manager = manager;
        this.journal = journal;
    }

    /** The training with this id, without its parameters. */
    public Optional<TrainingView> find(String trainingId) {
        Optional<ModelFuture> live = manager.find(trainingId);
        if (live.isPresent()) {
            return Optional.of(TrainingView.of(live.get()));
        }
        return journal.find(trainingId).map(TrainingView::of);
    }

    /**
     * The training with this id, without its parameters.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public TrainingView get(String trainingId) {
        return find(trainingId).orElseThrow(() -> notFound(trainingId));
    }

    /**
     * The training with this id and its parameters.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public TrainingView detail(String trainingId) {
        Optional<ModelFuture> live = manager.find(trainingId);
        Optional<JobRecord> record = journal.find(trainingId);
        if (record.isPresent()) {
            TrainingView view = TrainingView.of(record.get());
            return live.isPresent() ? view.withLive(live.get()) : view;
        }
        return live.map(TrainingView::of).orElseThrow(() -> notFound(trainingId));
    }

    /**
     * Cancels a training that has not ended; one that ended is left as it is.
     *
     * @return the training after the cancel
     * @throws KilnException NOT_FOUND naming the id
     */
    public TrainingView cancel(String trainingId) {
        Optional<ModelFuture> live = manager.find(trainingId);
        if (live.isPresent()) {
            live.get().cancel();
            return TrainingView.of(live.get());
        }
        return journal.find(trainingId).map(TrainingView::of).orElseThrow(() -> notFound(trainingId));
    }

    /** One page of trainings, newest first, with live snapshots where a trainer holds them. */
    public Page list(JobQuery query) {
        JobPage page = journal.list(query);
        List<TrainingView> views = new ArrayList<>(page.records().size());
        for (JobRecord r : page.records()) {
            TrainingView view = TrainingView.of(r);
            if (!r.info().status().isTerminal()) {
                Optional<ModelFuture> live = manager.find(r.trainingId());
                if (live.isPresent()) {
                    view = view.withLive(live.get());
                }
            }
            views.add(view);
        }
        return new Page(views, page.total());
    }

    /**
     * The progress history of a training.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public List<Progress> progress(String trainingId, long afterStep, int limit) {
        get(trainingId);
        return journal.progress(trainingId, afterStep, limit);
    }

    /**
     * The captured output of a training: the trainer's while it holds it, the journal's afterwards.
     *
     * @throws KilnException NOT_FOUND naming the id
     */
    public String logs(String trainingId) {
        Optional<ModelFuture> live = manager.find(trainingId);
        if (live.isPresent()) {
            String logs = live.get().logs();
            return logs == null ? "" : logs;
        }
        get(trainingId);
        return journal.logs(trainingId);
    }

    /** How many trainings are in each state. */
    public Map<JobStatus, Long> counts() {
        return journal.countByState();
    }

    private static KilnException notFound(String trainingId) {
        return KilnException.notFound("Training " + trainingId + " was not found");
    }

    /**
     * One page of trainings.
     *
     * @param trainings the trainings, newest first
     * @param total how many match the query
     */
    public record Page(List<TrainingView> trainings, long total) {}
}
