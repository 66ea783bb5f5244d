package dev.kiln.worker;

/** The constants of the worker protocol: its version, the pipe framing and the exit codes. */
public final class WorkerProtocol {
    /** The protocol version this build speaks; a spec or a {@code ready} message with another version is refused. */
    public static final int VERSION = 1;

    /**
     * Starts every protocol message on the worker's standard output in pipe mode; lines without it are the
     * training's own output. An ASCII record separator, so no ordinary log line starts with it.
     */
    public static final String FRAME_PREFIX = "\u001ekiln:";

    /** The spec file in a job directory (file mode). */
    public static final String SPEC_FILE = "spec.json";

    /** The events file in a job directory (file mode): one JSON object per line. */
    public static final String EVENTS_FILE = "events.jsonl";

    /** Exit code after a {@code completed} event. */
    public static final int EXIT_COMPLETED = 0;

    /** Exit code after a {@code failed} event. */
    public static final int EXIT_FAILED = 1;

    /** Exit code for bad command-line arguments or an unusable job directory; no event could be written. */
    public static final int EXIT_USAGE = 2;

    /** Exit code after a {@code cancelled} event, as for a process ended by SIGTERM (128 + 15). */
    public static final int EXIT_CANCELLED = 143;

    private WorkerProtocol() {}
}
