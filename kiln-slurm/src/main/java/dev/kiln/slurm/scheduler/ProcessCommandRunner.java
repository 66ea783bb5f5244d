package dev.kiln.slurm.scheduler;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/** Runs commands as child processes, killing any that outlive the timeout. */
public final class ProcessCommandRunner implements CommandRunner {
    /** How long to wait for output after the process exited, in case a child of it still holds the pipe. */
    private static final long STREAM_GRACE_MILLIS = 5_000;

    private final Duration timeout;

    /** A runner that gives each command at most {@code timeout}. */
    public ProcessCommandRunner(Duration timeout) {
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    @Override
    public CommandResult run(List<String> command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).start();
        process.getOutputStream().close();
        StreamCollector stdout = new StreamCollector(process.getInputStream(), command.get(0) + "-stdout");
        StreamCollector stderr = new StreamCollector(process.getErrorStream(), command.get(0) + "-stderr");
        try {
            if (!process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
                throw new IOException("it did not finish within " + timeout.toMillis() + " ms");
            }
            return new CommandResult(command, process.exitValue(), stdout.text(), stderr.text());
        } finally {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }
    }

    /** Reads one output stream of a process on its own thread, so neither pipe can fill up and block it. */
    private static final class StreamCollector {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final Thread thread;
        private volatile IOException failure;

        StreamCollector(InputStream in, String name) {
            thread = new Thread(
                    () -> {
                        try (in) {
                            in.transferTo(bytes);
                        } catch (IOException e) {
                            failure = e;
                        }
                    },
                    "kiln-slurm-" + name);
            thread.setDaemon(true);
            thread.start();
        }

        String text() throws IOException, InterruptedException {
            thread.join(STREAM_GRACE_MILLIS);
            if (failure != null) {
                throw failure;
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
