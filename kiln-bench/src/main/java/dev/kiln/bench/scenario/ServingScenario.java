package dev.kiln.bench.scenario;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.bench.BenchOutput;
import dev.kiln.bench.BenchRun;
import dev.kiln.bench.Jobs;
import dev.kiln.bench.Samples;
import dev.kiln.bench.Scenario;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.modules.text.TextClassifier;
import dev.kiln.serving.LoadedModel;
import dev.kiln.serving.ModelServing;
import dev.kiln.serving.ServedModel;
import dev.kiln.serving.ServingSettings;
import dev.kiln.serving.SizeEstimator;
import java.lang.ref.Reference;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serving the demo's spam model (the TextClassifier trained with its defaults on the shipped SpamAssassin e-mails,
 * 500 held out, as {@code kiln demo} splits them):
 *
 * <ul>
 *   <li>{@code serve_model_load}: the first load of the model in the process ({@code first_use_ms}, Tribuo's classes
 *       included), the median reload after eviction, the bytes on disk, the cache's estimate, and the heap one loaded
 *       model holds (heap after repeated full collections with eight copies loaded, minus before, over eight);
 *   <li>{@code serve_in_process_text_classification}: {@code ModelServing.predict} from one thread per core, the floor
 *       of the transports;
 *   <li>then, through {@link ServingTransports}, the same model served over HTTP and gRPC by one server:
 *       {@code serve_http_text_classification} (with {@code GET /health} as HTTP's floor),
 *       {@code serve_grpc_text_classification} and {@code serve_training_status}.
 * </ul>
 */
public final class ServingScenario implements Scenario {
    static final String LOAD = "serve_model_load";
    private static final int HELD_OUT = SpamCorpus.HELD_OUT;
    private static final int COPIES = 8;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Override
    public String name() {
        return "serve";
    }

    @Override
    public void run(BenchRun run) throws Exception {
        Path dir = run.directory("serve");
        List<String> lines = SpamCorpus.lines();
        List<String> texts = new ArrayList<>();
        for (String line : lines.subList(0, HELD_OUT)) {
            texts.add(JSON.readTree(line).get("text").asText());
        }
        Path models = dir.resolve("local-models");
        var model = new TextClassifier()
                .train(SpamCorpus.trainingParams(lines, dir), QuietContext.of("serve-bench", ServingScenario.class));
        Path spam = ModelFormat.save(model, models.resolve("spam"), null);
        double inProcess = measureLoad(run, spam, models, texts);
        new ServingTransports(run, texts).measure(dir, models, inProcess);
    }

    /** Emits the load line and the in-process line; the in-process rate. */
    private static double measureLoad(BenchRun run, Path spam, Path models, List<String> texts) throws Exception {
        ModelServing serving = new ModelServing(
                ServingSettings.defaults().withLocalModelsDir(models).withLazyLoadLocalModels(true),
                ModuleRegistry.global());
        long t0 = System.nanoTime();
        LoadedModel first = serving.load("spam");
        long firstNanos = System.nanoTime() - t0;
        int reloads = run.size(10, 3);
        Samples reload = new Samples(reloads);
        for (int i = 0; i < reloads; i++) {
            ServedModel served = serving.resolve("spam");
            serving.cache().evict(served);
            long t = System.nanoTime();
            serving.load("spam");
            reload.add(System.nanoTime() - t);
        }
        for (int i = 0; i < COPIES; i++) {
            copy(spam, models.resolve("copy-" + i));
        }
        serving.syncLocalModels();
        long before = Jobs.settleHeap();
        List<LoadedModel> held = new ArrayList<>();
        long after;
        try {
            for (int i = 0; i < COPIES; i++) {
                held.add(serving.load("copy-" + i));
            }
            after = Jobs.settleHeap();
        } finally {
            Reference.reachabilityFence(held);
        }
        Map<String, Object> line = BenchOutput.line(LOAD);
        line.put("model", "TextClassifier spam (kiln demo data, defaults)");
        line.put("first_use_ms", Samples.round(firstNanos / 1e6));
        line.put("reload_median_ms", Samples.round(reload.medianMs()));
        line.put("disk_bytes", SizeEstimator.diskBytes(spam));
        line.put("estimated_bytes", first.estimatedBytes());
        line.put("heap_bytes_per_model", (after - before) / COPIES);
        run.emit(line);
        return measureInProcess(run, serving, texts);
    }

    /** The same predictions without HTTP, from one thread per core: the ceiling the HTTP figure compares with. */
    private static double measureInProcess(BenchRun run, ModelServing serving, List<String> texts) throws Exception {
        var task = serving.tasks().byRoute("text-classification");
        List<JsonNode> inputs = new ArrayList<>();
        for (String t : texts) {
            inputs.add(JSON.getNodeFactory().textNode(t));
        }
        int threads = Runtime.getRuntime().availableProcessors();
        long warmMs = run.quick() ? 500 : 3_000;
        long measureMs = run.quick() ? 1_000 : 10_000;
        java.util.concurrent.atomic.LongAdder count = new java.util.concurrent.atomic.LongAdder();
        AtomicBoolean measuring = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        CountDownLatch finished = new CountDownLatch(threads);
        for (int t = 0; t < threads; t++) {
            int offset = t * 61;
            Thread thread = new Thread(() -> {
                try {
                    for (int i = offset; !done.get(); i++) {
                        serving.predict(task, "spam", inputs.get(i % inputs.size()));
                        if (measuring.get()) {
                            count.increment();
                        }
                    }
                } finally {
                    finished.countDown();
                }
            });
            thread.setDaemon(true);
            thread.start();
        }
        Thread.sleep(warmMs);
        measuring.set(true);
        long start = System.nanoTime();
        Thread.sleep(measureMs);
        long n = count.sum();
        long elapsed = System.nanoTime() - start;
        done.set(true);
        finished.await();
        Map<String, Object> line = BenchOutput.line("serve_in_process_text_classification");
        double opsPerSecond = n / (elapsed / 1e9);
        line.put("threads", threads);
        line.put("ops_per_s", Math.round(opsPerSecond));
        line.put("load_average", loadAverage());
        run.emit(line);
        return opsPerSecond;
    }

    private static void copy(Path from, Path to) throws Exception {
        Files.createDirectories(to);
        try (var files = Files.list(from)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, to.resolve(f.getFileName()));
            }
        }
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (Exception e) {
            return "unknown";
        }
    }
}
