package dev.kiln.worker;

import dev.kiln.job.JobError;
import dev.kiln.process.ProcessTree;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.CountDownLatch;

/**
 * Runs one training in this JVM and exits. Two modes share one protocol (see {@code docs/worker-protocol.md}):
 * <ul>
 *   <li>{@code --job-dir DIR}: reads {@code DIR/spec.json}, appends events to {@code DIR/events.jsonl}; for batch
 *   schedulers on nodes that share the directory.</li>
 *   <li>{@code --pipe [--warm] [--heartbeat-ms N] [--scratch DIR]}: reads the spec as the first line of standard
 *   input and writes events to standard output as framed lines; exits when standard input ends (the parent is gone).
 *   With {@code --warm} it prepares before it says it is ready, for pre-started workers. With {@code --scratch} its
 *   preparation may write, in {@code DIR/<pid>} only, and deletes what it wrote; the parent removes that directory
 *   when the worker has exited, whatever the worker did.</li>
 * </ul>
 * Exit codes: 0 after {@code completed}, 1 after {@code failed}, 143 after {@code cancelled}, 2 for bad arguments.
 */
public final class WorkerMain {
    private static final long PARENT_GONE_WAIT_MILLIS = 2_000;

    private static volatile WorkerRun current;
    private static volatile EventSink sink;

    private WorkerMain() {}

    public static void main(String[] args) {
        Warmup.jdkDataInBackground();
        Thread main = Thread.currentThread();
        TermSignal.install(WorkerMain::terminate, main);
        if (!SignalHandlers.handle("USR1", WorkerMain::checkpointNow)) {
            System.err.println("kiln worker: cannot handle SIGUSR1 here; a checkpoint request would end the worker");
        }
        int code;
        try {
            code = run(args);
        } catch (RuntimeException | Error e) {
            e.printStackTrace();
            code = WorkerProtocol.EXIT_FAILED;
        }
        exit(code);
    }

    private static int run(String[] args) {
        if (args.length == 2 && args[0].equals("--job-dir")) {
            return runFromDirectory(Path.of(args[1]).toAbsolutePath());
        }
        boolean pipe = false;
        boolean warm = false;
        long heartbeatMillis = 0;
        Path scratch = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--pipe" -> pipe = true;
                case "--warm" -> warm = true;
                case "--heartbeat-ms" -> {
                    if (i + 1 >= args.length) {
                        return usage("--heartbeat-ms needs a number of milliseconds");
                    }
                    try {
                        heartbeatMillis = Long.parseLong(args[++i]);
                    } catch (NumberFormatException e) {
                        return usage("--heartbeat-ms needs a number of milliseconds, not '" + args[i] + "'");
                    }
                }
                case "--scratch" -> {
                    if (i + 1 >= args.length) {
                        return usage("--scratch needs a directory");
                    }
                    scratch = Path.of(args[++i])
                            .toAbsolutePath()
                            .resolve(Long.toString(ProcessHandle.current().pid()));
                }
                default -> {
                    return usage("unknown argument '" + args[i] + "'");
                }
            }
        }
        if (!pipe) {
            return usage("say --job-dir DIR or --pipe");
        }
        return runFromPipe(warm, heartbeatMillis, scratch);
    }

    private static int usage(String problem) {
        System.err.println("kiln worker: " + problem + "\nusage: java -cp <classpath> " + WorkerMain.class.getName()
                + " --job-dir DIR\n   or: java -cp <classpath> " + WorkerMain.class.getName()
                + " --pipe [--warm] [--heartbeat-ms N] [--scratch DIR]");
        return WorkerProtocol.EXIT_USAGE;
    }

    private static int runFromDirectory(Path dir) {
        Warmup.inBackground(null);
        if (!Files.isDirectory(dir)) {
            System.err.println("kiln worker: job directory " + dir + " does not exist");
            return WorkerProtocol.EXIT_USAGE;
        }
        FileEventSink events;
        try {
            events = new FileEventSink(dir.resolve(WorkerProtocol.EVENTS_FILE));
        } catch (IOException e) {
            System.err.println(
                    "kiln worker: cannot write events to " + dir.resolve(WorkerProtocol.EVENTS_FILE) + ": " + e);
            return WorkerProtocol.EXIT_USAGE;
        }
        sink = events;
        Path specFile = dir.resolve(WorkerProtocol.SPEC_FILE);
        JobSpec spec;
        try {
            spec = JobSpec.parse(Files.readString(specFile), specFile.toString());
        } catch (NoSuchFileException e) {
            return WorkerRun.rejected(
                    events,
                    JobError.of(
                            JobError.Kind.PROTOCOL,
                            "The job directory " + dir + " has no " + WorkerProtocol.SPEC_FILE));
        } catch (IOException e) {
            return WorkerRun.rejected(
                    events, JobError.of(JobError.Kind.PROTOCOL, "Cannot read " + specFile + ": " + e));
        } catch (ProtocolException e) {
            return WorkerRun.rejected(events, JobError.of(JobError.Kind.PROTOCOL, e.getMessage()));
        }
        if (spec.jobDir() == null) {
            spec = spec.withJobDir(dir);
        }
        return train(spec, events);
    }

    private static int runFromPipe(boolean warm, long heartbeatMillis, Path scratch) {
        PipeChannel channel = PipeChannel.install();
        sink = channel;
        // The job's helper threads are started now and wait for the spec: a thread's start waits for its first
        // scheduling, which a busy machine would otherwise add to the job's time, twice.
        CountDownLatch specRead = new CountDownLatch(1);
        channel.watchParent(new ParentGone(), specRead);
        if (heartbeatMillis > 0) {
            Thread beat = new Thread(new Heartbeat(channel, heartbeatMillis, specRead), "kiln-heartbeat");
            beat.setDaemon(true);
            beat.start();
        }
        if (warm) {
            Warmup.run(channel::hasInput, scratch);
        } else {
            Warmup.inBackground(scratch);
        }
        channel.send(new WorkerEvent.Ready(
                WorkerProtocol.VERSION, ProcessHandle.current().pid()));
        String line;
        try {
            line = channel.readSpec();
        } catch (IOException e) {
            line = null;
        }
        if (line == null) {
            return WorkerProtocol.EXIT_COMPLETED;
        }
        specRead.countDown();
        JobSpec spec;
        try {
            spec = JobSpec.parse(line, "standard input");
        } catch (ProtocolException e) {
            return WorkerRun.rejected(channel, JobError.of(JobError.Kind.PROTOCOL, e.getMessage()));
        }
        return train(spec, channel);
    }

    private static int train(JobSpec spec, EventSink events) {
        WorkerRun run = new WorkerRun(spec, events);
        current = run;
        return run.execute();
    }

    /** Sends a heartbeat at a fixed interval once the spec has been read. */
    private static final class Heartbeat implements Runnable {
        private final EventSink events;
        private final long intervalMillis;
        private final CountDownLatch specRead;

        Heartbeat(EventSink events, long intervalMillis, CountDownLatch specRead) {
            this.events = events;
            this.intervalMillis = intervalMillis;
            this.specRead = specRead;
        }

        @Override
        public void run() {
            try {
                specRead.await();
            } catch (InterruptedException e) {
                return;
            }
            while (true) {
                try {
                    Thread.sleep(intervalMillis);
                } catch (InterruptedException e) {
                    return;
                }
                events.send(new WorkerEvent.Heartbeat(Instant.now()));
            }
        }
    }

    /**
     * SIGUSR1: the scheduler is about to stop the job (Slurm's {@code --signal=B:USR1@grace} before the time limit
     * or a preemption), so the training checkpoints at its next exact-resume point and goes on; whatever then stops
     * it (SIGTERM, a requeue), the next attempt resumes from there. The worker does not exit by itself: a job that
     * left early would end COMPLETED or FAILED in Slurm's eyes and not be requeued.
     */
    private static void checkpointNow() {
        WorkerRun run = current;
        System.err.println("kiln worker: checkpoint requested by SIGUSR1"
                + (run == null ? ", but no training runs yet" : "; saving one at the next chance"));
        if (run != null) {
            run.requestCheckpoint();
        }
    }

    /** Standard input ended. */
    private static final class ParentGone implements Runnable {
        @Override
        public void run() {
            parentGone();
        }
    }

    /** SIGTERM: cancel the running training, or leave at once if there is none yet. */
    private static void terminate() {
        WorkerRun run = current;
        if (run != null) {
            run.cancel();
            return;
        }
        EventSink events = sink;
        if (events instanceof FileEventSink) {
            events.send(new WorkerEvent.Cancelled(Instant.now()));
        }
        Runtime.getRuntime().halt(WorkerProtocol.EXIT_CANCELLED);
    }

    /** Standard input ended: nobody is left to report to, so stop the training and go, whatever it does. */
    private static void parentGone() {
        WorkerRun run = current;
        if (run != null) {
            run.cancel();
            try {
                Thread.sleep(PARENT_GONE_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Runtime.getRuntime().halt(WorkerProtocol.EXIT_CANCELLED);
    }

    /** Kills every process the training started, and theirs. */
    static void killDescendants() {
        for (ProcessHandle descendant : ProcessTree.descendants(ProcessHandle.current())) {
            descendant.destroyForcibly();
        }
    }

    /**
     * Ends the worker with the exit code of its terminal event, after killing the processes the training started. A
     * cancelled worker halts: its event is out and its partial save removed, the parent waits for the process to go,
     * and an orderly shutdown would only delay that.
     */
    private static void exit(int code) {
        if (sink instanceof PipeChannel channel) {
            channel.flush();
            channel.stopWatching();
        }
        killDescendants();
        if (code == WorkerProtocol.EXIT_CANCELLED) {
            Runtime.getRuntime().halt(code);
        }
        System.exit(code);
    }
}
