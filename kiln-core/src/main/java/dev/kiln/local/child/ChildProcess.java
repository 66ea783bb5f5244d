package dev.kiln.local.child;

import dev.kiln.process.ProcessTree;
import dev.kiln.worker.ProtocolException;
import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import dev.kiln.worker.WorkerProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * One worker JVM in pipe mode: a daemon thread reads its merged output, splits protocol frames from the training's
 * output (kept in a {@link LogCapture}) and hands events to the attached {@link Listener}. The {@code ready} event is
 * handled here. Until a job attaches, any other event means the worker is broken, and it is killed.
 */
final class ChildProcess {
    /** Receives a worker's events once a job has attached. */
    interface Listener {
        void event(WorkerEvent event);

        /** A frame could not be read, or the worker broke the protocol before the job attached. */
        void corrupt(String reason);
    }

    private final Process process;
    private final OutputStream stdin;
    private final LogCapture log;
    private final ClassDataArchive.Launch launch;
    private final CompletableFuture<Void> drained = new CompletableFuture<>();
    private final long startedNanos = System.nanoTime();
    private volatile Listener listener;
    private volatile boolean ready;
    private volatile String broken;

    private ChildProcess(Process process, long logLimit, ClassDataArchive.Launch launch) {
        this.process = process;
        this.stdin = process.getOutputStream();
        this.log = new LogCapture(logLimit);
        this.launch = launch;
    }

    /** Starts a worker and the thread that reads it. */
    static ChildProcess start(ProcessBuilder builder, long logLimit, ClassDataArchive.Launch launch)
            throws IOException {
        ChildProcess child = new ChildProcess(builder.redirectErrorStream(true).start(), logLimit, launch);
        Thread reader = new Thread(child::read, "kiln-child-" + child.pid());
        reader.setDaemon(true);
        reader.start();
        return child;
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** Whether the worker has said it is up and speaks this protocol version. */
    boolean isReady() {
        return ready;
    }

    /** Why the worker was found broken before any job attached, or null. */
    String broken() {
        return broken;
    }

    long startedNanos() {
        return startedNanos;
    }

    /** When the last protocol message arrived ({@link System#nanoTime()}). */
    LogCapture log() {
        return log;
    }

    ClassDataArchive.Launch launch() {
        return launch;
    }

    /** Hands this worker to a job. */
    void attach(Listener value) {
        this.listener = value;
    }

    /** Writes one line to the worker's standard input. */
    void send(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (stdin) {
            stdin.write(bytes);
            stdin.flush();
        }
    }

    /** Closes the worker's standard input: an idle worker exits, a working one stops as if its parent had died. */
    void closeInput() {
        synchronized (stdin) {
            try {
                stdin.close();
            } catch (IOException e) {
                // already gone
            }
        }
    }

    /**
     * Asks the worker to stop (SIGTERM). Through its {@link ProcessHandle}: {@link Process#destroy()} would also close
     * the pipes, and the worker's last messages, and its standard input, with them.
     */
    void terminate() {
        process.toHandle().destroy();
    }

    /**
     * Asks the worker's training for a checkpoint with SIGUSR1, which the worker turns into
     * {@link dev.kiln.module.TrainingContext#checkpointRequested()}; the JDK sends no such signal itself, so
     * {@code kill} does.
     *
     * @return whether the signal was delivered
     */
    boolean requestCheckpoint() {
        if (!process.isAlive()) {
            return false;
        }
        try {
            Process kill = new ProcessBuilder("kill", "-USR1", Long.toString(process.pid()))
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .start();
            return kill.waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Kills the worker and every process it started (SIGKILL); what it wrote before is still read. The descendants
     * are found first (once the worker is dead they belong to another parent) from the worker's own child lists,
     * quick enough for the caller's thread.
     */
    void kill() {
        ProcessHandle worker = process.toHandle();
        List<ProcessHandle> descendants = ProcessTree.descendants(worker);
        worker.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
    }

    /**
     * Kills the worker alone (SIGKILL), for a worker that has sent its terminal event after killing what it started;
     * skips the walk over its descendants that {@link #kill()} makes.
     */
    void killAlone() {
        process.toHandle().destroyForcibly();
    }

    /** Completes when the worker has exited. */
    CompletableFuture<Process> onExit() {
        return process.onExit();
    }

    /** Completes when all of the worker's output has been read. */
    CompletableFuture<Void> drained() {
        return drained;
    }

    int exitValue() {
        return process.exitValue();
    }

    private void read() {
        OutputSplitter splitter = new OutputSplitter(new OutputSplitter.Receiver() {
            @Override
            public void frame(String json) {
                received(json);
            }

            @Override
            public void output(byte[] bytes, int offset, int length) {
                log.line(bytes, offset, length);
            }

            @Override
            public void corrupt(String reason) {
                failed(reason);
            }
        });
        byte[] buffer = new byte[8192];
        try (InputStream in = process.getInputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                splitter.feed(buffer, 0, n);
                log.flush();
            }
        } catch (IOException e) {
            // the pipe broke: the worker is gone
        } finally {
            splitter.end();
            log.flush();
            drained.complete(null);
        }
    }

    private void received(String json) {
        WorkerEvent event;
        try {
            event = WorkerEvents.parse(json);
        } catch (ProtocolException e) {
            failed("a corrupt message: " + e.getMessage());
            return;
        }
        if (event instanceof WorkerEvent.Ready r) {
            if (r.protocol() != WorkerProtocol.VERSION) {
                failed("a 'ready' message for protocol version " + r.protocol() + " but this Kiln speaks version "
                        + WorkerProtocol.VERSION + "; check the trainer's classpath");
            } else if (ready) {
                failed("an unexpected second 'ready' message");
            } else {
                ready = true;
            }
            return;
        }
        Listener current = listener;
        if (current != null) {
            current.event(event);
        } else if (!(event instanceof WorkerEvent.Heartbeat)) {
            failed("a '" + WorkerEvents.typeOf(event) + "' message before it was given a job");
        }
    }

    private void failed(String reason) {
        Listener current = listener;
        if (current != null) {
            current.corrupt(reason);
        } else {
            if (broken == null) {
                broken = reason;
            }
            kill();
        }
    }
}
