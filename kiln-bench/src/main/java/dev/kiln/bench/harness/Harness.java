package dev.kiln.bench.harness;

import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.HarnessOptions;
import dev.kiln.bench.Ratios;
import dev.kiln.bench.Scenario;
import dev.kiln.bench.scenario.CancelScenario;
import dev.kiln.bench.scenario.CheckpointCostScenario;
import dev.kiln.bench.scenario.FloorScenario;
import dev.kiln.bench.scenario.LookupScenario;
import dev.kiln.bench.scenario.RestartResumeScenario;
import dev.kiln.bench.scenario.RetainedBytesScenario;
import dev.kiln.bench.scenario.ServingScenario;
import dev.kiln.bench.scenario.SubprocessLatencyScenario;
import dev.kiln.bench.scenario.ThreadLatencyScenario;
import dev.kiln.bench.scenario.ThreadThroughputScenario;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * The whole-process benchmark harness ({@code kiln bench}): runs every scenario in turn and prints one JSON object
 * per line on stdout, starting with a {@code meta} line. Exits 0 when every selected scenario ran (a scenario this
 * build cannot run prints a line with {@code unsupported}), 1 when one failed, 2 for a bad command line.
 */
public final class Harness {
    private Harness() {}

    /** The scenarios in the order they run. */
    public static List<Scenario> scenarios() {
        return List.of(
                new FloorScenario.SupplyAsync(),
                new ThreadLatencyScenario(),
                new ThreadThroughputScenario(),
                new SubprocessLatencyScenario(),
                new LookupScenario(),
                new CancelScenario(),
                new RetainedBytesScenario(),
                new ServingScenario(),
                new CheckpointCostScenario(),
                new RestartResumeScenario(),
                new FloorScenario.JavaHello(),
                new FloorScenario.JavaKill());
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the harness with these arguments and streams; returns the process exit code. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        HarnessOptions options;
        try {
            options = HarnessOptions.parse(args);
        } catch (IllegalArgumentException e) {
            err.println(e.getMessage());
            err.print(HarnessOptions.USAGE);
            return 2;
        }
        if (options.help()) {
            out.print(HarnessOptions.USAGE);
            return 0;
        }
        BenchOutput output = new BenchOutput(out, err);
        Map<String, Object> meta = BenchOutput.line("meta");
        meta.put("impl", "kiln-java");
        meta.put("java", Runtime.version().toString());
        meta.put("cpu_count", Runtime.getRuntime().availableProcessors());
        meta.put("args", options.asArgs());
        output.emit(meta);
        int failures = 0;
        long started = System.nanoTime();
        try (BenchRun run = new BenchRun(options, output)) {
            for (Scenario scenario : scenarios()) {
                if (!options.selects(scenario.name())) {
                    continue;
                }
                output.progress(scenario.name() + " ...");
                long t0 = System.nanoTime();
                try {
                    scenario.run(run);
                } catch (Exception | Error e) {
                    failures++;
                    Map<String, Object> line = BenchOutput.line(scenario.name());
                    line.put("error", e.toString());
                    output.emit(line);
                    e.printStackTrace(err);
                }
                output.progress(scenario.name() + " took " + Math.round((System.nanoTime() - t0) / 1e6) + " ms");
            }
            output.emit(Ratios.of(output.emitted()));
        } catch (java.io.IOException e) {
            err.println("Cannot create the benchmark scratch directory: " + e.getMessage());
            return 1;
        }
        output.progress("all done in " + Math.round((System.nanoTime() - started) / 1e6) + " ms"
                + (failures > 0 ? ", " + failures + " benchmark(s) failed" : ""));
        return failures > 0 ? 1 : 0;
    }
}
