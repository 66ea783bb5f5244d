package dev.kiln.slurm.scheduler;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import java.io.IOException;
import java.util.List;

/** A Slurm command could not be run or reported an error; the message names the command and what it printed. */
public class SlurmCommandException extends KilnException {
    private final transient CommandResult result;

    private SlurmCommandException(String message, CommandResult result, Throwable cause) {
        super(ErrorCode.UNAVAILABLE, message, cause);
        this.result = result;
    }

    /** The command ran and exited with an error. */
    public static SlurmCommandException failed(CommandResult result) {
        String output = result.output();
        return new SlurmCommandException(
                "Slurm command '" + String.join(" ", result.command()) + "' failed with exit code " + result.exitCode()
                        + (output.isEmpty() ? " and printed nothing" : ": " + output),
                result,
                null);
    }

    /** The command ran but printed something Kiln cannot read. */
    public static SlurmCommandException unreadable(CommandResult result, String why) {
        return new SlurmCommandException(
                "Slurm command '" + String.join(" ", result.command()) + "' printed " + why + ": " + result.output(),
                result,
                null);
    }

    /** The command could not be started or did not finish. */
    public static SlurmCommandException notRun(List<String> command, IOException cause) {
        return new SlurmCommandException(
                "Slurm command '" + String.join(" ", command) + "' could not be run: " + cause.getMessage(),
                null,
                cause);
    }

    /** The result of the command, or null when it never ran to the end. */
    public CommandResult result() {
        return result;
    }
}
