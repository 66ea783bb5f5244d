package dev.kiln.slurm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.json.KilnJson;
import dev.kiln.model.ModelFormat;
import dev.kiln.module.Model;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.module.Parameters;
import dev.kiln.module.TrainingCancelledException;
import dev.kiln.module.TrainingContext;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A minimal worker that follows the worker file protocol (spec.json in, events.jsonl out, exit 0/1/143), so the
 * trainer's Slurm plumbing can be tested with the module fixtures of kiln-core's test jar. SIGTERM is caught with a
 * signal handler (looked up reflectively, it is JDK-internal API), so a module's own System.exit leaves no event.
 */
public final class StandInWorker {
    private final Path jobDir;
    private final OutputStream events;
    private final CountDownLatch mainDone = new CountDownLatch(1);
    private volatile boolean cancelled;
    private boolean terminalWritten;

    private StandInWorker(Path jobDir) throws IOException {
        this.jobDir = jobDir;
        this.events = new FileOutputStream(jobDir.resolve("events.jsonl").toFile(), true);
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2 || !args[0].equals("--job-dir")) {
            System.err.println("usage: StandInWorker --job-dir DIR");
            System.exit(2);
        }
        int code = new StandInWorker(Path.of(args[1])).run();
        if (code >= 0) {
            System.exit(code);
        }
    }

    /** Trains; returns the exit code, or -1 after a SIGTERM (the signal handler then exits with 143). */
    private int run() throws Exception {
        onSigterm(this::onTerm);
        try {
            JsonNode spec = KilnJson.data().readTree(Files.readString(jobDir.resolve("spec.json")));
            event("started", Map.of("pid", ProcessHandle.current().pid()));
            ModuleType<?, ?> module = ModuleRegistry.global().byId(spec.get("module_id").asText());
            String save = spec.path("save_path").isTextual() ? spec.get("save_path").asText() : null;
            Model model = train(module, spec.get("parameters"), spec.get("training_id").asText());
            if (cancelled) {
                return -1;
            }
            if (save != null) {
                ModelFormat.save(model, Path.of(save), spec.get("training_id").asText());
            }
            ObjectNode done = KilnJson.data().createObjectNode().put("type", "completed");
            done.put("save_path", save);
            return terminal(done, 0);
        } catch (TrainingCancelledException e) {
            return cancelled ? -1 : terminal(KilnJson.data().createObjectNode().put("type", "cancelled"), 143);
        } catch (Throwable t) {
            StringWriter stack = new StringWriter();
            t.printStackTrace(new PrintWriter(stack));
            ObjectNode failed = KilnJson.data().createObjectNode().put("type", "failed")
                    .put("kind", t instanceof OutOfMemoryError ? "OUT_OF_MEMORY" : "EXCEPTION")
                    .put("error_type", t.getClass().getName()).put("message", t.getMessage())
                    .put("stack", stack.toString());
            return terminal(failed, 1);
        } finally {
            mainDone.countDown();
        }
    }

    private <P> Model train(ModuleType<P, ?> module, JsonNode params, String trainingId) throws Exception {
        P bound = Parameters.bind(module.parametersType(), params, module.descriptor().name());
        return module.train(bound, new TrainingContext() {
            @Override
            public String trainingId() {
                return trainingId;
            }

            @Override
            public boolean isCancelled() {
                return cancelled;
            }

            @Override
            public void reportProgress(long step, long total, Map<String, Double> metrics) {
                ObjectNode p = KilnJson.data().createObjectNode().put("type", "progress").put("step", step)
                        .put("total", total);
                p.set("metrics", KilnJson.data().valueToTree(metrics));
                write(p);
            }

            @Override
            public Logger logger() {
                return LoggerFactory.getLogger("dev.kiln.training");
            }

            @Override
            public Path scratchDir() {
                return jobDir;
            }
        });
    }

    private void onTerm() {
        cancelled = true;
        try {
            mainDone.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        System.exit(terminal(KilnJson.data().createObjectNode().put("type", "cancelled"), 143));
    }

    private static void onSigterm(Runnable action) throws ReflectiveOperationException {
        Class<?> signal = Class.forName("sun.misc.Signal");
        Class<?> handler = Class.forName("sun.misc.SignalHandler");
        Object proxy = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (p, m, a) -> {
            if (m.getName().equals("handle")) {
                action.run();
            }
            return null;
        });
        signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class)
                .newInstance("TERM"), proxy);
    }

    private synchronized int terminal(ObjectNode event, int code) {
        if (!terminalWritten) {
            terminalWritten = true;
            write(event);
        }
        return code;
    }

    private void event(String type, Map<String, Object> fields) {
        ObjectNode e = KilnJson.data().valueToTree(fields);
        e.put("type", type);
        write(e);
    }

    private synchronized void write(ObjectNode event) {
        event.put("timestamp", Instant.now().toString());
        try {
            events.write((KilnJson.data().writeValueAsString(event) + "\n").getBytes(StandardCharsets.UTF_8));
            events.flush();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
