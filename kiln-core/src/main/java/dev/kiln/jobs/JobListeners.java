package dev.kiln.slurm;

import dev.kiln.job.JobInfo;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The trainer's job listeners: each event goes to all of them, and one that throws does not stop the others. */
final class JobListeners {
    private static final Logger LOG = LoggerFactory.getLogger(JobListeners.class);

    private final CopyOnWriteArrayList<JobListener> listeners = new CopyOnWriteArrayList<>();

    void add(JobListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
    }

    void fire(JobEvent.Kind kind, ModelFuture job, JobInfo info) {
        for (JobListener l : listeners) {
            try {
                l.onEvent(new JobEvent(kind, job, info));
            } catch (RuntimeException e) {
                LOG.warn("Job listener {} failed on {} of {}: {}", l, kind, job.id(), e.toString());
            }
        }
    }
}
