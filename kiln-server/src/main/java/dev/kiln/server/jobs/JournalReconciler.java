package dev.kiln.server.jobs;

import dev.kiln.job.JobInfo;
import dev.kiln.job.JobStatus;
import dev.kiln.server.journal.JobJournal;
import dev.kiln.server.journal.JobQuery;
import dev.kiln.server.journal.JobRecord;
import dev.kiln.trainer.ModelFuture;
import dev.kiln.trainer.ModelTrainer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Settles, when the server starts, the trainings its journal shows QUEUED or RUNNING. Those of a trainer whose jobs
 * outlive the process and that the trainer still tracks are kept: the journal catches up with the trainer's state
 * (ending them if they ended while no server ran), and the journal listener, already in place, records the rest.
 * Those of a trainer that resumes interrupted trainings are submitted to it again. Those such a trainer no longer
 * tracks, and those of every other trainer, are recorded as interrupted.
 */
final class JournalReconciler {
    private final JobJournal journal;
    private final OutlivingTrainers outliving;
    private final TrainingResumer resumer;

    JournalReconciler(JobJournal journal, OutlivingTrainers outliving, TrainingResumer resumer) {
        this.journal = journal;
        this.outliving = outliving;
        this.resumer = resumer;
    }

    /** Settles every unfinished training; {@code at} is the time recorded for the ones it interrupts. */
    Reconciliation reconcile(Instant at) {
        Set<String> resuming = resumer.trainerNames();
        Set<String> spared = new HashSet<>(outliving.names());
        spared.addAll(resuming);
        List<String> interrupted = journal.markInterrupted(at, Interruption.error(), spared);
        List<String> reattached = new ArrayList<>();
        List<String> untracked = new ArrayList<>();
        List<JobRecord> toResume = new ArrayList<>();
        for (JobRecord r : unfinished()) {
            Optional<ModelTrainer> trainer = outliving.get(r.trainer());
            if (trainer.isEmpty()) {
                if (resuming.contains(r.trainer())) {
                    toResume.add(r);
                }
                continue;
            }
            Optional<ModelFuture> live = trainer.get().find(r.trainingId());
            if (live.isPresent()) {
                catchUp(r, live.get());
                reattached.add(r.trainingId());
            } else {
                journal.recordFinished(
                        r.trainingId(), JobStatus.ERRORED, at, List.of(Interruption.untracked(r.trainer())), "");
                untracked.add(r.trainingId());
            }
        }
        List<String> resumed = resumer.resume(toResume, at);
        return new Reconciliation(interrupted, reattached, untracked, resumed);
    }

    private List<JobRecord> unfinished() {
        return journal.list(new JobQuery(EnumSet.of(JobStatus.QUEUED, JobStatus.RUNNING), 0, Integer.MAX_VALUE))
                .records();
    }

    /** Journals what happened to a kept training while no server listened to its trainer. */
    private void catchUp(JobRecord journaled, ModelFuture live) {
        String id = journaled.trainingId();
        JobInfo info = live.info();
        if (info.status().isTerminal()) {
            journal.recordFinished(id, info.status(), info.completed(), info.errors(), JournalRecorder.logsOf(live));
            return;
        }
        if (info.started() != null && journaled.info().started() == null) {
            journal.recordStarted(id, info.started());
        }
        if (info.progress() != null
                && !Objects.equals(info.progress(), journaled.info().progress())) {
            journal.recordProgress(id, info.progress());
        }
    }
}
