package dev.kiln.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The harness's command line.
 *
 * @param quick run every benchmark small enough to finish in under a minute
 * @param only the benchmarks to run, by name or prefix (such as {@code a} or {@code c_get}); empty runs all
 * @param help print usage and stop
 * @param javaHome the JDK child JVMs run (the trainers' {@code java_home}), or null for this JVM's
 */
public record HarnessOptions(boolean quick, List<String> only, boolean help, String javaHome) {
    /** The usage text. */
    public static final String USAGE = """
            Usage: kiln bench [--quick] [--only NAME[,NAME...]] [--java-home DIR]

            Runs Kiln's benchmarks and prints one JSON object per line on stdout (progress goes to stderr).
              --quick        small sizes: everything finishes in under a minute (a smoke test, not figures to quote)
              --only NAMES   run only the benchmarks whose names start with one of NAMES, e.g. --only a,c,floor
              --java-home DIR   run the child JVMs (b_, d_, floor_java_hello_start, floor_java_kill) on the JDK in DIR
              --help         print this text
            """;

    public HarnessOptions {
        only = List.copyOf(only);
    }

    /**
     * Parses the arguments.
     *
     * @throws IllegalArgumentException naming an unknown option or a missing value
     */
    public static HarnessOptions parse(String... args) {
        boolean quick = false;
        boolean help = false;
        List<String> only = new ArrayList<>();
        String javaHome = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--quick")) {
                quick = true;
            } else if (arg.equals("--help") || arg.equals("-h")) {
                help = true;
            } else if (arg.equals("--only") || arg.startsWith("--only=")) {
                String value;
                if (arg.startsWith("--only=")) {
                    value = arg.substring("--only=".length());
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("Option --only needs a comma-separated list of benchmark names");
                }
                for (String name : value.split(",", -1)) {
                    if (!name.isBlank()) {
                        only.add(name.trim().toLowerCase(Locale.ROOT));
                    }
                }
            } else if (arg.equals("--java-home")) {
                if (i + 1 >= args.length) {
                    throw new IllegalArgumentException("Option --java-home needs the directory of a JDK");
                }
                javaHome = args[++i];
            } else {
                throw new IllegalArgumentException(
                        "Unknown option '" + arg + "'; expected --quick, --only, --java-home or --help");
            }
        }
        return new HarnessOptions(quick, only, help, javaHome);
    }

    /** The {@code java} child JVMs and the JVM floor run. */
    public String childJava() {
        return javaHome == null
                ? Path.of(System.getProperty("java.home"), "bin", "java").toString()
                : Path.of(javaHome, "bin", "java").toString();
    }

    /** Whether the benchmark with this name is selected. */
    public boolean selects(String bench) {
        return only.isEmpty() || only.stream().anyMatch(bench::startsWith);
    }

    /** The options as the meta line's {@code args} object. */
    public Map<String, Object> asArgs() {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("quick", quick);
        args.put("only", only.isEmpty() ? null : only);
        args.put("java_home", javaHome);
        return args;
    }
}
