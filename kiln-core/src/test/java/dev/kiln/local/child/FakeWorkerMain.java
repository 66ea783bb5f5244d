package dev.kiln.local.child;

import dev.kiln.worker.WorkerEvent;
import dev.kiln.worker.WorkerEvents;
import dev.kiln.worker.WorkerMain;
import dev.kiln.worker.WorkerProtocol;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

/**
 * A worker that misbehaves on purpose, chosen by the environment variable {@code KILN_FAKE_WORKER}: the trainer must
 * turn each misbehaviour into a clear error and leave no process behind.
 */
public final class FakeWorkerMain {
    static final String MODE = "KILN_FAKE_WORKER";
    static final String PID_FILE = "KILN_FAKE_PID_FILE";
    static final String OUTPUT_BYTES = "KILN_FAKE_OUTPUT_BYTES";

    private FakeWorkerMain() {}

    public static void main(String[] args) throws Exception {
        String mode = System.getenv().getOrDefault(MODE, "");
        switch (mode) {
            case "corrupt" -> {
                ready(WorkerProtocol.VERSION);
                readSpec();
                send(new WorkerEvent.Started(ProcessHandle.current().pid(), Instant.now()));
                System.out.println(WorkerProtocol.FRAME_PREFIX + "{\"type\":\"progress\",\"step\":");
                sleepForever();
            }
            case "completed-before-started" -> {
                ready(WorkerProtocol.VERSION);
                readSpec();
                send(new WorkerEvent.Completed(null, 0, 0, Instant.now()));
                sleepForever();
            }
            case "other-protocol" -> {
                ready(99);
                readSpec();
                sleepForever();
            }
            case "silent" -> {
                ready(WorkerProtocol.VERSION);
                readSpec();
                send(new WorkerEvent.Started(ProcessHandle.current().pid(), Instant.now()));
                sleepForever();
            }
            case "stubborn-with-child" -> {
                ready(WorkerProtocol.VERSION);
                readSpec();
                send(new WorkerEvent.Started(ProcessHandle.current().pid(), Instant.now()));
                Process sleeper = new ProcessBuilder("sleep", "600").start();
                Runtime.getRuntime().addShutdownHook(new Thread(FakeWorkerMain::sleepForever));
                Files.writeString(
                        Path.of(System.getenv(PID_FILE)),
                        ProcessHandle.current().pid() + " " + sleeper.pid());
                sleepForever();
            }
            case "says-no-jvm-after-ready" -> {
                ready(WorkerProtocol.VERSION);
                readSpec();
                send(new WorkerEvent.Started(ProcessHandle.current().pid(), Instant.now()));
                System.out.println("Error: Could not create the Java Virtual Machine.");
                System.out.flush();
                System.exit(1);
            }
            case "loud" -> {
                int bytes = Integer.parseInt(System.getenv().getOrDefault(OUTPUT_BYTES, "0"));
                System.out.println("hello from the child before its job");
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < bytes; i++) {
                    line.append(i % 64 == 63 ? '\n' : 'x');
                }
                System.out.print(line);
                System.out.flush();
                WorkerMain.main(args);
            }
            default -> {
                System.err.println("unknown fake worker mode '" + mode + "'");
                System.exit(5);
            }
        }
    }

    private static void ready(int protocol) {
        send(new WorkerEvent.Ready(protocol, ProcessHandle.current().pid()));
    }

    private static void send(WorkerEvent event) {
        System.out.println(WorkerProtocol.FRAME_PREFIX + WorkerEvents.write(event));
        System.out.flush();
    }

    private static void readSpec() throws IOException {
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
    }

    private static void sleepForever() {
        while (true) {
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // keep sleeping
            }
        }
    }
}
