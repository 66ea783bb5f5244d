package dev.kiln.local.child;

import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;

/**
 * The order a job's messages must come in: {@code started} once, then progress and heartbeats, then one final
 * message ({@code failed} may also come first, for an unusable spec), and nothing after it.
 */
final class MessageOrder {
    private boolean started;
    private boolean ended;

    /**
     * Takes the next message.
     *
     * @return null if it may come now, else what was wrong with it, as "it sent …" would finish
     */
    String accept(WorkerEvent event) {
        String type = WorkerEvents.typeOf(event);
        if (ended) {
            return "a '" + type + "' message after its final one";
        }
        if (event instanceof WorkerEvent.Started) {
            if (started) {
                return "a second 'started' message";
            }
            started = true;
        } else if ((event instanceof WorkerEvent.Progressed || event instanceof WorkerEvent.Completed) && !started) {
            return "a '" + type + "' message before 'started'";
        }
        if (event.isTerminal()) {
            ended = true;
        }
        return null;
    }

    /** Whether the final message has come. */
    boolean ended() {
        return ended;
    }
}
