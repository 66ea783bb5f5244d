package dev.kiln.server.jobs;

import dev.kiln.job.JobStatus;
import dev.kiln.job.Progress;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleType;
import dev.kiln.server.api.TrainResponse;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobQuery;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * The server's trainings: submit, find, list, cancel and watch them. Built over a model manager (reached only
 * through the trainer SPI) and a journal; every trainer's events are journaled before anyone else hears of them.
 */
public final class Trainings {
    private final ModelManager manager;
    private final JobJournal journal;
    private final Clock clock;
    private final TrainingCatalog catalog;
    private final TrainingSubmitter submitter;
    private final TrainingEvents events = new TrainingEvents();
    private final JournalRecorder recorder;
    private final TrainingRetention retention;
    private final OutlivingTrainers outliving;
    private final TrainingResumer resumer;

    /**
     * Wires the trainings and starts journaling the manager's trainers.
     *
     * @param listeners listeners that hear of each event after it is journaled (such as metrics)
     * @param accepting whether new trainings are accepted (false while the server shuts down)
     */
    public Trainings(
            ModelManager manager,
            JobJournal journal,
            SubmissionPolicy policy,
            TrainingRetention retention,
            Clock clock,
            List<JobListener> listeners,
            BooleanSupplier accepting) {
        this.manager = manager;
        this.journal = journal;
        this.clock = clock;
        this.retention = retention;
        this.catalog = new TrainingCatalog(manager, journal);
        this.outliving = OutlivingTrainers.of(manager);
        PendingSubmissions pending = new PendingSubmissions();
        ResumingTrainings resuming = new ResumingTrainings();
        List<JobListener> downstream = new ArrayList<>(listeners);
        downstream.add(events);
        this.recorder = new JournalRecorder(journal, pending, resuming, downstream, outliving);
        this.resumer = new TrainingResumer(manager, journal, resuming, policy.dataFiles());
        this.submitter = new TrainingSubmitter(manager, catalog, journal, pending, policy, accepting);
        for (ModelTrainer t : manager.trainers()) {
            t.addListener(recorder);
        }
    }

    /**
     * Settles the trainings the journal shows unfinished, once, before the server takes requests: those a trainer
     * whose jobs outlive the process still tracks are kept and journaled from its state, those of a trainer that
     * resumes interrupted trainings are submitted to it again, the others are recorded as interrupted.
     */
    public Reconciliation reconcileJournal() {
        return new JournalReconciler(journal, outliving, resumer).reconcile(clock.instant());
    }

    /** The model manager the trainings run on. */
    public ModelManager manager() {
        return manager;
    }

    /**
     * Starts a training; answers once the journal holds it.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT, CONFLICT or UNAVAILABLE, naming what is wrong
     */
    public TrainResponse submit(ModuleType<?, ?> module, TrainRequest request) {
        return submitter.submit(module, request);
    }

    /**
     * The training with this id, without its parameters.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    public TrainingView get(String trainingId) {
        return catalog.get(trainingId);
    }

    /**
     * The training with this id, with its parameters.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    public TrainingView detail(String trainingId) {
        return catalog.detail(trainingId);
    }

    /**
     * Cancels a training; one that ended is left as it is. The cancellation is journaled before this returns.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    public TrainingView cancel(String trainingId) {
        return catalog.cancel(trainingId);
    }

    /** One page of trainings, newest first. */
    public TrainingCatalog.Page list(JobQuery query) {
        return catalog.list(query);
    }

    /**
     * The progress history of a training.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    public List<Progress> progress(String trainingId, long afterStep, int limit) {
        return catalog.progress(trainingId, afterStep, limit);
    }

    /**
     * The captured output of a training.
     *
     * @throws dev.kiln.error.KilnException NOT_FOUND naming the id
     */
    public String logs(String trainingId) {
        return catalog.logs(trainingId);
    }

    /** How many trainings are in each state. */
    public Map<JobStatus, Long> counts() {
        return catalog.counts();
    }

    /** Subscribes to one training's events, or every training's when {@code trainingId} is null. */
    public TrainingEvents.Subscription subscribe(String trainingId) {
        return events.subscribe(trainingId);
    }

    /** Purges the journal's trainings older than their trainer's retention. */
    public List<JobRecord> purgeExpired() {
        return retention.purge(journal, manager, clock.instant());
    }

    /** The purge interval the retention asks for. */
    public Duration purgeInterval() {
        return retention.interval();
    }

    /** Trainings that have not ended and end with the server: their trainer's jobs do not outlive the process. */
    public List<ModelFuture> endingWithServer() {
        return manager.list().stream()
                .filter(f -> !f.info().status().isTerminal() && !outliving.runs(f))
                .toList();
    }

    /** Trainings that have not ended and keep running without the server: their trainer's jobs outlive it. */
    public List<ModelFuture> outlivingServer() {
        return manager.list().stream()
                .filter(f -> !f.info().status().isTerminal() && outliving.runs(f))
                .toList();
    }

    /** Ends every event stream and waits (at most {@code timeout}) for them to finish. */
    public void closeEventStreams(Duration timeout) {
        events.close();
        try {
            events.awaitUnsubscribed(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** From now on, trainings cancelled by the shutdown are journaled as interrupted. */
    public void shuttingDown() {
        recorder.shuttingDown();
    }

    /**
     * Stops journaling and records every training the journal still shows as QUEUED or RUNNING as interrupted, except
     * those of trainers whose jobs outlive the server: they keep running, and the next start finds them again.
     */
    public List<String> recordInterrupted() {
        recorder.stop();
        return journal.markInterrupted(clock.instant(), Interruption.error(), outliving.names());
    }
}
