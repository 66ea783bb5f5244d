package dev.kiln.server.http;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.util.component.AbstractLifeCycle;
import org.eclipse.jetty.util.thread.Scheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes connections whose request headers take too long to arrive. Jetty bounds only silence (the idle timeout), so
 * a client that sends a header byte now and then would keep its connection for ever; this sweeps the open connections
 * once per {@code timeout} and closes one that received bytes without completing a request's headers in the previous
 * sweep and still has not completed them: headers are cut off between one and two periods after their first byte.
 * Connections in the middle of a request, or idle between requests, are left to the idle timeout.
 */
final class HeaderDeadline extends AbstractLifeCycle implements Connection.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(HeaderDeadline.class);

    /** What a sweep saw of one connection. */
    private static final class Seen {
        long requests;
        long bytesIn;
        boolean partialHeaders;
    }

    private final Duration timeout;
    private final Scheduler scheduler;
    private final Map<Connection, Seen> open = new ConcurrentHashMap<>();
    private volatile Scheduler.Task sweep;

    HeaderDeadline(Duration timeout, Scheduler scheduler) {
        this.timeout = timeout;
        this.scheduler = scheduler;
    }

    @Override
    public void onOpened(Connection connection) {
        open.put(connection, new Seen());
    }

    @Override
    public void onClosed(Connection connection) {
        open.remove(connection);
    }

    @Override
    protected void doStart() {
        schedule();
    }

    @Override
    protected void doStop() {
        Scheduler.Task task = sweep;
        if (task != null) {
            task.cancel();
        }
        open.clear();
    }

    private void schedule() {
        if (isRunning() || isStarting()) {
            sweep = scheduler.schedule(this::sweep, timeout);
        }
    }

    private void sweep() {
        try {
            open.forEach(this::check);
        } finally {
            schedule();
        }
    }

    private void check(Connection connection, Seen seen) {
        long requests = connection.getMessagesIn();
        long bytesIn = connection.getBytesIn();
        boolean inRequest = requests > connection.getMessagesOut();
        if (requests != seen.requests || inRequest) {
            seen.partialHeaders = false;
        } else if (seen.partialHeaders) {
            LOG.debug("Closing {}: its request headers took longer than {}", connection, timeout);
            open.remove(connection);
            connection.getEndPoint().close();
            return;
        } else {
            seen.partialHeaders = bytesIn != seen.bytesIn;
        }
        seen.requests = requests;
        seen.bytesIn = bytesIn;
    }
}
