package dev.kiln.bench;

import dev.kiln.modelformat.ModelFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What every scenario of one harness run shares: the options, the output, and a scratch directory. */
public final class BenchRun implements AutoCloseable {
    private final HarnessOptions options;
    private final BenchOutput output;
    private final Path scratch;

    /**
     * Starts a run with a fresh scratch directory.
     *
     * @throws IOException if the scratch directory cannot be created
     */
    public BenchRun(HarnessOptions options, BenchOutput output) throws IOException {
        this.options = options;
        this.output = output;
        this.scratch = Files.createTempDirectory("kiln-bench-");
    }

    public HarnessOptions options() {
        return options;
    }

    /** Whether this is a {@code --quick} run. */
    public boolean quick() {
        return options.quick();
    }

    /** The full-size count, or the quick one under {@code --quick}. */
    public int size(int full, int quick) {
        return options.quick() ? quick : full;
    }

    /** A new directory inside the run's scratch directory. */
    public Path directory(String name) throws IOException {
        return Files.createDirectories(scratch.resolve(name));
    }

    /**
     * The {@code work_dir} every child-JVM trainer of this run shares, as the trainers of one installation do: the
     * class-data archive the first child JVM writes there serves every later one.
     */
    public Path childWorkDir() throws IOException {
        return directory("child-work");
    }

    public void emit(Map<String, Object> line) {
        output.emit(line);
    }

    public void progress(String message) {
        output.progress(message);
    }

    /** Removes the scratch directory. */
    @Override
    public void close() {
        ModelFormat.deleteRecursively(scratch);
    }
}
