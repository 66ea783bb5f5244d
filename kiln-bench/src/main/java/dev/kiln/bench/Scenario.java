package dev.kiln.bench;

/** One benchmark of the harness: it measures and emits its result lines. */
public interface Scenario {
    /** The name its lines carry in {@code bench}, also used by {@code --only}. */
    String name();

    /**
     * Measures and emits this benchmark's lines.
     *
     * @throws Exception if the measurement cannot be made; the harness reports it and goes on with the next
     */
    void run(BenchRun run) throws Exception;
}
