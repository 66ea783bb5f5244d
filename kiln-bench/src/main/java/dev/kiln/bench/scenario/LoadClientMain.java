package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.Samples;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The load client of the {@code serve} scenario, run in a JVM of its own so that its threads, allocation and JIT do not
 * share the server's: drives {@link ServingLoads} one after another, each in a {@link ClosedLoop}, and reports on
 * stdout, per load, {@value #MEASURING} and the load as its measured time begins, {@value #MEASURED} and the load as
 * it ends, then one JSON line with {@code load}, {@code requests}, {@code ops_per_s}, {@code p50_ms}, {@code p99_ms}
 * and {@code client_cpu_us_per_call} (this JVM's CPU time over the measured time per call answered). With a warm-up
 * pass, every load first runs once unreported (0.5 s of warm-up, then the pass's length), so that both JVMs have
 * compiled every path before the first load is measured.
 *
 * <p>Arguments: {@code HTTP_PORT GRPC_PORT CLIENTS WARM_MS MEASURE_MS WARM_PASS_MS TEXTS_FILE TRAINING_ID LOAD...};
 * the texts file holds one JSON string per line; a warm-up pass of 0 ms is none.
 */
public final class LoadClientMain {
    static final String MEASURING = "measuring";
    static final String MEASURED = "measured";
    private static final ObjectMapper JSON = new ObjectMapper();

    private LoadClientMain() {}

    /** Runs the loads; exits 1 with the failure on stderr when a client fails. */
    public static void main(String[] args) throws Exception {
        if (args.length < 9) {
            System.err.println("usage: LoadClientMain HTTP_PORT GRPC_PORT CLIENTS WARM_MS MEASURE_MS WARM_PASS_MS"
                    + " TEXTS_FILE TRAINING_ID LOAD...");
            System.exit(2);
        }
        int httpPort = Integer.parseInt(args[0]);
        int grpcPort = Integer.parseInt(args[1]);
        int clients = Integer.parseInt(args[2]);
        ClosedLoop loop = new ClosedLoop(clients, Long.parseLong(args[3]), Long.parseLong(args[4]));
        long warmPassMs = Long.parseLong(args[5]);
        List<String> texts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of(args[6]), StandardCharsets.UTF_8)) {
            texts.add(JSON.readValue(line, String.class));
        }
        String trainingId = args[7];
        List<ServingLoads> loads = new ArrayList<>();
        for (int i = 8; i < args.length; i++) {
            loads.add(ServingLoads.of(args[i]));
        }
        try {
            if (warmPassMs > 0) {
                ClosedLoop warm = new ClosedLoop(clients, 500, warmPassMs);
                for (ServingLoads load : loads) {
                    run(warm, load, load.grpc() ? grpcPort : httpPort, texts, trainingId, false);
                }
            }
            for (ServingLoads load : loads) {
                run(loop, load, load.grpc() ? grpcPort : httpPort, texts, trainingId, true);
            }
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
        System.exit(0);
    }

    private static void run(
            ClosedLoop loop, ServingLoads load, int port, List<String> texts, String trainingId, boolean report)
            throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] cpu = new long[2];
        ServingLoads.Opened opened = load.open(port, texts, trainingId, loop.clients());
        ClosedLoop.Result result;
        try {
            result = loop.run(
                    opened.clients(),
                    () -> {
                        cpu[0] = os.getProcessCpuTime();
                        say(report, MEASURING + " " + load.argument());
                    },
                    () -> {
                        cpu[1] = os.getProcessCpuTime();
                        say(report, MEASURED + " " + load.argument());
                    });
        } finally {
            opened.shared().run();
        }
        Map<String, Object> out = new LinkedHashMap<>();
        int requests = result.samples().size();
        out.put("load", load.argument());
        out.put("requests", requests);
        out.put("ops_per_s", result.opsPerSecond());
        out.put("p50_ms", result.p50Ms());
        out.put("p99_ms", result.p99Ms());
        out.put("client_cpu_us_per_call", Samples.round((cpu[1] - cpu[0]) / 1e3 / Math.max(1, requests)));
        say(report, JSON.writeValueAsString(out));
    }

    private static void say(boolean report, String line) {
        if (report) {
            System.out.println(line);
            System.out.flush();
        }
    }
}
