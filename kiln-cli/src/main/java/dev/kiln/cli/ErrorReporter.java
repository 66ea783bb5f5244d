package dev.kiln.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.cli.context.ExitCodes;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

/** Turns an exception escaping a command into a one-line message (or a JSON error) and an exit code. */
final class ErrorReporter implements IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        ErrorCode code = code(ex);
        String message = message(ex);
        Object root = cmd.getCommandSpec().root().userObject();
        boolean json = root instanceof KilnCli k && k.options().json();
        if (json) {
            ObjectNode error = KilnJson.strict().createObjectNode();
            error.putObject("error").put("code", code.name()).put("message", message);
            cmd.getOut().println(error.toString());
            cmd.getOut().flush();
        } else {
            cmd.getErr().println("kiln: " + message);
            if (code == ErrorCode.INTERNAL && !(ex instanceof KilnException)) {
                ex.printStackTrace(cmd.getErr());
            }
            cmd.getErr().flush();
        }
        return ExitCodes.of(code);
    }

    static ErrorCode code(Throwable ex) {
        if (ex instanceof KilnException ke) {
            return ke.code();
        }
        if (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException) {
            return ErrorCode.NOT_FOUND;
        }
        return ErrorCode.INTERNAL;
    }

    static String message(Throwable ex) {
        if (ex instanceof KilnException) {
            return ex.getMessage();
        }
        if (ex instanceof UncheckedIOException u && u.getCause() != null) {
            return ex.getMessage() + ": " + u.getCause().getMessage();
        }
        return "internal error: " + ex;
    }
}
