package dev.kiln.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.json.Parameters;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A pre-started worker ({@code --pipe --warm}) rehearses a job while it waits, so the job it is then handed loads
 * almost no classes: counted from the JVM's class-loading log between the worker's {@code ready} and its exit.
 */
@Timeout(180)
class WorkerWarmUpTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String SAMPLE_ID = "00110203-0405-0607-0809-0a0b0c0d0e0f";

    @TempDir
    Path tmp;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void killLeftovers() {
        started.forEach(Process::destroyForcibly);
    }

    @Test
    void aWarmedWorkersJobLoadsFarFewerClassesThanAColdWorkersJob() throws Exception {
        List<String> cold = classesLoadedByTheJob("cold", false);
        List<String> warm = classesLoadedByTheJob("warm", true);

        assertThat(cold).hasSizeGreaterThan(200);
        assertThat(warm.size()).as("classes after hand-over: %s", warm).isLessThan(cold.size() / 10);
        assertThat(warm)
                .as("the worker's own job path was rehearsed")
                .noneMatch(name -> name.startsWith("dev.kiln.worker.")
                        || name.startsWith("dev.kiln.checkpoint.")
                        || name.startsWith("dev.kiln.modelformat."));
    }

    @Test
    void theWarmUpWritesOnlyUnderItsScratchDirectoryAndLeavesNothingThere() throws Exception {
        Path scratch = tmp.resolve("work/.warm-up");
        Path ownTmp = Files.createDirectories(tmp.resolve("java-tmp"));
        Process p = worker(tmp.resolve("quiet.log"), true, scratch, "-Djava.io.tmpdir=" + ownTmp);
        BufferedReader out = output(p);
        awaitEvent(out, "ready");

        assertThat(scratch).isDirectory();
        try (OutputStream in = p.getOutputStream()) {
            in.close(); // no job: the worker exits
        }
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(scratch.resolve(Long.toString(p.pid()))).doesNotExist();
        try (Stream<Path> left = Files.list(ownTmp)) {
            assertThat(left)
                    .as("nothing written to the JVM's temporary directory")
                    .isEmpty();
        }
    }

    /** Runs one training in a new worker and returns the classes its JVM loaded after it said it was ready. */
    private List<String> classesLoadedByTheJob(String name, boolean warm) throws Exception {
        Path log = tmp.resolve(name + "-classes.log");
        Path save = tmp.resolve(name + "-model");
        Process p = worker(log, warm, tmp.resolve("work/.warm-up"));
        BufferedReader out = output(p);
        awaitEvent(out, "ready");
        int before = Files.readAllLines(log).size();

        JobSpec spec = new JobSpec(
                "training-" + name,
                SAMPLE_ID,
                Parameters.toJson(SampleModule.Params.defaults().withBatchSize(3)),
                save,
                Files.createDirectories(tmp.resolve(name + "-job")));
        OutputStream in = p.getOutputStream();
        in.write((spec.toJson() + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
        awaitEvent(out, "completed");
        assertThat(p.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isZero();
        assertThat(((SampleModel) ModelFormat.load(save)).batchSize()).isEqualTo(3);

        List<String> lines = Files.readAllLines(log);
        return lines.subList(before, lines.size()).stream()
                .map(WorkerWarmUpTest::className)
                .toList();
    }

    /** The class named by one line of {@code -Xlog:class+load}: "[info][class,load] NAME source: ...". */
    private static String className(String line) {
        String rest = line.substring(line.indexOf(']', line.indexOf("class,load")) + 1)
                .trim();
        int space = rest.indexOf(' ');
        return space < 0 ? rest : rest.substring(0, space);
    }

    private Process worker(Path classLog, boolean warm, Path scratch, String... jvmOptions) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current()
                .info()
                .command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.add("-Xlog:class+load=info:file=" + classLog);
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), WorkerMain.class.getName(), "--pipe"));
        if (warm) {
            command.add("--warm");
        }
        command.addAll(List.of("--scratch", scratch.toString()));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        started.add(p);
        return p;
    }

    private static BufferedReader output(Process p) {
        return new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    }

    /** Reads the worker's output up to the event of this type; fails if the output ends first. */
    private static void awaitEvent(BufferedReader out, String type) throws IOException {
        String line;
        while ((line = out.readLine()) != null) {
            if (line.startsWith(WorkerProtocol.FRAME_PREFIX) && line.contains("\"type\":\"" + type + "\"")) {
                return;
            }
        }
        throw new AssertionError("The worker's output ended before a '" + type + "' event");
    }
}
