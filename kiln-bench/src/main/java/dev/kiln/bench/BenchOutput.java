package dev.kiln.bench;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Where results and progress go: one JSON object per result line on stdout, human progress on stderr. */
public final class BenchOutput {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final PrintStream results;
    private final PrintStream progress;
    private final List<Map<String, Object>> emitted = new ArrayList<>();

    public BenchOutput(PrintStream results, PrintStream progress) {
        this.results = results;
        this.progress = progress;
    }

    /** Starts a result line for the named benchmark; fields keep the order they are put in. */
    public static Map<String, Object> line(String bench) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("bench", bench);
        return line;
    }

    /** The result lines printed so far. */
    public synchronized List<Map<String, Object>> emitted() {
        return List.copyOf(emitted);
    }

    /** Prints one result line. */
    public synchronized void emit(Map<String, Object> line) {
        emitted.add(line);
        try {
            results.println(JSON.writeValueAsString(line));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
        results.flush();
    }

    /** Prints a progress message. */
    public synchronized void progress(String message) {
        progress.println("[kiln bench] " + message);
        progress.flush();
    }
}
