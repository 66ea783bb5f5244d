package dev.kiln.slurm.scheduler;

import java.io.IOException;
import java.util.List;

/** Runs a command to completion; the seam that lets tests stand in for Slurm's tools. */
@FunctionalInterface
public interface CommandRunner {
    /**
     * Runs {@code command} and waits for it.
     *
     * @return how it exited and what it printed
     * @throws IOException if it cannot be started (not found, not executable) or does not finish in time
     * @throws InterruptedException if the calling thread is interrupted; the command is then killed
     */
    CommandResult run(List<String> command) throws IOException, InterruptedException;
}
