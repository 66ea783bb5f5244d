package dev.kiln.cli.context;

import java.io.Console;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;

/**
 * What the CLI takes from the world around it, injected so tests can run commands in-process.
 *
 * @param workingDir the directory relative paths are resolved against
 * @param kilnHome where kiln keeps its own files ({@code $KILN_HOME}, by default {@code ~/.kiln})
 * @param env the environment variables (for {@code CONFIG_FILES} and config overrides)
 * @param interactive whether a person is watching a terminal, so a live progress bar makes sense
 * @param clock the clock for durations and estimates
 */
public record CliEnvironment(
        Path workingDir, Path kilnHome, Map<String, String> env, boolean interactive, Clock clock) {
    /** The environment variable naming kiln's home directory. */
    public static final String KILN_HOME = "KILN_HOME";

    public CliEnvironment {
        Objects.requireNonNull(workingDir, "workingDir");
        Objects.requireNonNull(kilnHome, "kilnHome");
        env = Map.copyOf(env);
        Objects.requireNonNull(clock, "clock");
    }

    /** This process's working directory, environment and terminal. */
    public static CliEnvironment system() {
        Map<String, String> env = System.getenv();
        String home = env.get(KILN_HOME);
        Path kilnHome =
                home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".kiln");
        boolean interactive = onTerminal() && !"dumb".equals(env.get("TERM"));
        return new CliEnvironment(Path.of("").toAbsolutePath(), kilnHome, env, interactive, Clock.systemUTC());
    }

    /**
     * Whether standard input and output are a terminal. Up to JDK 21 that is {@code System.console()} being
     * present; from JDK 22 on the console is there even when output is redirected, and its {@code isTerminal()}
     * (not in JDK 17's API, so called by name) tells.
     */
    @SuppressWarnings("SystemConsoleNull") // null is the answer up to JDK 21; isTerminal() covers JDK 22 on
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        try {
            return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
        } catch (NoSuchMethodException e) {
            return true;
        } catch (ReflectiveOperationException e) {
            return false;
        }
    }

    /** A path given on the command line, resolved against the working directory. */
    public Path resolve(Path path) {
        return workingDir.resolve(path).toAbsolutePath().normalize();
    }

    /** Where local trainings are recorded. */
    public Path runsDir() {
        return kilnHome.resolve("runs");
    }
}
