package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.Samples;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@link ServingLoads} from a {@link LoadClientMain} in a child JVM (this JVM's {@code java} and class path)
 * against the server in this JVM, and measures this JVM's CPU time over each load's measured time: the server's CPU
 * per call, apart from the client's.
 */
final class LoadClientProcess {
    private static final ObjectMapper JSON = new ObjectMapper();

    /**
     * What one load measured.
     *
     * @param requests calls answered in the measured time
     * @param opsPerSecond calls answered per second
     * @param p50Ms median call, client-side
     * @param p99Ms 99th percentile call, client-side
     * @param serverCpuUsPerCall this (the server's) JVM's CPU time over the measured time, per call
     * @param clientCpuUsPerCall the client JVM's CPU time over the measured time, per call
     */
    record Figures(
            int requests,
            double opsPerSecond,
            double p50Ms,
            double p99Ms,
            double serverCpuUsPerCall,
            double clientCpuUsPerCall) {}

    private final Path dir;
    private final Path texts;
    private final int clients;
    private final long warmMs;
    private final long measureMs;
    private final long warmPassMs;

    /**
     * @param dir where the texts file (the texts to classify, for the child) and the child's stderr go
     * @param warmPassMs how long each load runs, unmeasured, before any is measured; 0 for no warm-up pass
     */
    LoadClientProcess(Path dir, List<String> texts, int clients, long warmMs, long measureMs, long warmPassMs)
            throws IOException {
        StringBuilder lines = new StringBuilder();
        for (String t : texts) {
            lines.append(JSON.writeValueAsString(t)).append('\n');
        }
        this.dir = dir;
        this.texts = Files.writeString(dir.resolve("texts.jsonl"), lines, StandardCharsets.UTF_8);
        this.clients = clients;
        this.warmMs = warmMs;
        this.measureMs = measureMs;
        this.warmPassMs = warmPassMs;
    }

    /**
     * Runs {@code loads} in order from one client JVM.
     *
     * @throws IllegalStateException with the child's stderr if a load failed
     */
    Map<ServingLoads, Figures> run(List<ServingLoads> loads, int httpPort, int grpcPort, String trainingId)
            throws IOException, InterruptedException {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        Path err = dir.resolve("load-client.err");
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                LoadClientMain.class.getName(),
                Integer.toString(httpPort),
                Integer.toString(grpcPort),
                Integer.toString(clients),
                Long.toString(warmMs),
                Long.toString(measureMs),
                Long.toString(warmPassMs),
                texts.toString(),
                trainingId));
        loads.forEach(l -> command.add(l.argument()));
        Process p = new ProcessBuilder(command).redirectError(err.toFile()).start();
        Map<String, Long> cpuStart = new HashMap<>();
        Map<String, Long> cpuEnd = new HashMap<>();
        Map<ServingLoads, Figures> figures = new EnumMap<>(ServingLoads.class);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.startsWith(LoadClientMain.MEASURING + " ")) {
                    cpuStart.put(line.substring(LoadClientMain.MEASURING.length() + 1), os.getProcessCpuTime());
                } else if (line.startsWith(LoadClientMain.MEASURED + " ")) {
                    cpuEnd.put(line.substring(LoadClientMain.MEASURED.length() + 1), os.getProcessCpuTime());
                } else if (line.startsWith("{")) {
                    JsonNode answer = JSON.readTree(line);
                    String load = answer.get("load").asText();
                    int requests = answer.get("requests").asInt();
                    figures.put(
                            ServingLoads.of(load),
                            new Figures(
                                    requests,
                                    answer.get("ops_per_s").asDouble(),
                                    answer.get("p50_ms").asDouble(),
                                    answer.get("p99_ms").asDouble(),
                                    Samples.round(
                                            (cpuEnd.get(load) - cpuStart.get(load)) / 1e3 / Math.max(1, requests)),
                                    answer.get("client_cpu_us_per_call").asDouble()));
                }
            }
        } finally {
            if (!p.waitFor(1, TimeUnit.MINUTES)) {
                p.destroyForcibly().waitFor();
            }
        }
        if (p.exitValue() != 0 || figures.size() != loads.size()) {
            throw new IllegalStateException(
                    "The load client failed (exit " + p.exitValue() + "): " + Files.readString(err));
        }
        return figures;
    }
}
