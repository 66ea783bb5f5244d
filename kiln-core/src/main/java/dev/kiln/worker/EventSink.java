package dev.kiln.worker;

/** Where a worker sends its events: a job directory's events file, or its standard output in pipe mode. */
interface EventSink {
    /** Sends one event; a sink that can no longer write drops it, since nobody is left to read it. */
    void send(WorkerEvent event);
}
