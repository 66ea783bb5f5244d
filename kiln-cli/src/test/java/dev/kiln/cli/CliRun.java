package dev.kiln.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.cli.context.CliEnvironment;
import dev.kiln.json.KilnJson;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

/**
 * Runs kiln command lines in this JVM with captured output, in a private working directory and kiln home.
 *
 * @param workingDir the directory relative paths resolve against
 * @param interactive whether the commands think a person is watching
 * @param env the environment variables the commands see
 */
public record CliRun(Path workingDir, boolean interactive, Map<String, String> env) {

    public CliRun(Path workingDir, boolean interactive) {
        this(workingDir, interactive, Map.of());
    }

    /** The result of one command line. */
    public record Result(int exitCode, String out, String err) {
        /** The standard output as JSON. */
        public JsonNode json() {
            try {
                return KilnJson.data().readTree(out);
            } catch (IOException e) {
                throw new UncheckedIOException("stdout is not JSON: " + out + "\nstderr: " + err, e);
            }
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out ---\n" + out + "--- err ---\n" + err;
        }
    }

    /** The environment the commands see. */
    public CliEnvironment environment() {
        return new CliEnvironment(workingDir, workingDir.resolve("kiln-home"), env, interactive, Clock.systemUTC());
    }

    /** Runs one command line. */
    public Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = KilnCli.run(environment(), new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new Result(code, out.toString(), err.toString());
    }

    /** The same directories, with a person watching. */
    public CliRun watched() {
        return new CliRun(workingDir, true, env);
    }

    /** The same directories, with these environment variables. */
    public CliRun withEnv(Map<String, String> variables) {
        return new CliRun(workingDir, interactive, variables);
    }
}
