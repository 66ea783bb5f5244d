package dev.kiln.trainer.base;

import dev.kiln.job.JobInfo;
import dev.kiln.trainer.JobEvent;
import dev.kiln.trainer.JobListener;
import dev.kiln.trainer.ModelFuture;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A trainer's job listeners: each event goes to all of them, and one that throws (an exception or an error such as a
 * failed assertion) is logged and does not stop the others, nor the thread that reported the event.
 */
public final class JobListeners {
    private static final Logger LOG = LoggerFactory.getLogger(JobListeners.class);

    private final CopyOnWriteArrayList<JobListener> listeners = new CopyOnWriteArrayList<>();
    /** Whether any listener was added: read by every event, a field rather than a call on the list. */
    private volatile boolean any;

    public void add(JobListener listener) {
        listeners.add(Objects.requireNonNull(listener, "listener"));
        any = true;
    }

    /** Tells every listener of the job's current snapshot, read only when there is a listener to tell. */
    public void fire(JobEvent.Kind kind, ModelFuture job) {
        if (any) {
            fire(kind, job, job.info());
        }
    }

    /** Tells every listener; costs nothing when there are none. */
    public void fire(JobEvent.Kind kind, ModelFuture job, JobInfo info) {
        if (!any) {
            return;
        }
        JobEvent event = new JobEvent(kind, job, info);
        for (JobListener l : listeners) {
            try {
                l.onEvent(event);
            } catch (VirtualMachineError e) {
                throw e;
            } catch (RuntimeException | Error e) {
                LOG.warn("Job listener {} failed on {} of {}", l, kind, job.id(), e);
            }
        }
    }
}
