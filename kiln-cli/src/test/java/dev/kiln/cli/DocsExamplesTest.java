package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.config.KilnConfig;
import dev.kiln.manager.ModelManager;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.module.ModuleType;
import dev.kiln.server.KilnServer;
import dev.kiln.trainer.TrainerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every fenced code block with a {@code curl} command in the repository's Markdown files runs, in document order,
 * against one real server with the shipped modules, started as {@code kiln serve} starts it from the repository's
 * root (so the docs' data paths to the bundled datasets resolve). Each block runs in bash through the real
 * {@code curl}, with {@code localhost:8080} pointed at the server, and must exit 0 with every request answered
 * without an HTTP error: a block that a reader could not run as written fails here.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DocsExamplesTest {
    /** Makes every curl of a block fail on an HTTP error status, showing the answer. */
    private static final String PRELUDE =
            "set -euo pipefail\ncurl() { command curl --fail-with-body --show-error --max-time 120 \"$@\"; }\n";

    private static final Duration BLOCK_TIMEOUT = Duration.ofMinutes(3);

    private ModelManager manager;
    private KilnServer server;
    private Path root;

    @BeforeAll
    void startServer(@TempDir Path dir) {
        root = repositoryRoot();
        KilnConfig config = KilnConfig.ofYaml(
                """
                runtime:
                  http:
                    server_shutdown_grace_period_seconds: 0
                  training:
                    output_dir: %s
                  journal:
                    path: %s
                data_streams:
                  file_source_base: %s
                model_management:
                  trainers:
                    default:
                      type: LOCAL
                      config:
                        work_dir: %s
                """.formatted(dir.resolve("models"), dir.resolve("journal.db"), root, dir.resolve("work")));
        manager = ModelManager.fromConfig(config, TrainerFactory.discover(), shippedModules());
        server = KilnServer.builder(config)
                .environment(Map.of())
                .manager(manager)
                .port(0)
                .build()
                .start();
    }

    /**
     * The modules {@code kiln serve} finds: those of kiln-modules, without the test fixtures that this class path
     * also registers.
     */
    private static ModuleRegistry shippedModules() {
        List<ModuleType<?, ?>> shipped = ModuleRegistry.global().all().stream()
                .filter(m -> m.getClass().getName().startsWith("dev.kiln.modules."))
                .toList();
        assertThat(shipped).extracting(m -> m.descriptor().name()).contains("TextClassifier", "TabularClassifier");
        return new ModuleRegistry(shipped);
    }

    @AfterAll
    void stopServer() {
        if (server != null) {
            server.stop(Duration.ZERO);
        }
        if (manager != null) {
            manager.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> everyCurlExampleInTheDocsWorks() throws IOException {
        List<CodeBlock> blocks = new ArrayList<>();
        for (Path file : markdownFiles(root)) {
            blocks.addAll(CodeBlock.withCurl(file, Files.readAllLines(file, StandardCharsets.UTF_8)));
        }
        assertThat(blocks)
                .as("curl examples in docs/http-api.md")
                .filteredOn(b -> b.file().endsWith(Path.of("docs", "http-api.md")))
                .hasSizeGreaterThanOrEqualTo(10);
        return blocks.stream()
                .map(b -> DynamicTest.dynamicTest(root.relativize(b.file()) + ":" + b.line(), () -> run(b)));
    }

    private void run(CodeBlock block) throws IOException, InterruptedException {
        String script = PRELUDE
                + block.text()
                        .replace("localhost:8080", "127.0.0.1:" + server.port())
                        .replace("127.0.0.1:8080", "127.0.0.1:" + server.port());
        Process p = new ProcessBuilder("bash", "-c", script)
                .directory(root.toFile())
                .redirectErrorStream(true)
                .start();
        p.getOutputStream().close();
        byte[] output = p.getInputStream().readAllBytes();
        boolean ended = p.waitFor(BLOCK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        System.out.printf("%s:%d%n%s%n", block.file(), block.line(), new String(output, StandardCharsets.UTF_8));
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended && p.exitValue() == 0)
                .as(
                        "the example at %s:%d exits 0; it printed:%n%s",
                        block.file(), block.line(), new String(output, StandardCharsets.UTF_8))
                .isTrue();
    }

    /** The repository's root: the parent of this module's directory. */
    private static Path repositoryRoot() {
        Path root = Path.of("").toAbsolutePath().getParent();
        assertThat(root.resolve("docs").resolve("http-api.md"))
                .as("the repository's docs")
                .isRegularFile();
        return root;
    }

    /** The Markdown files of the repository, outside build output. */
    private static List<Path> markdownFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root, 3)) {
            return files.filter(f -> f.toString().endsWith(".md"))
                    .filter(f -> !root.relativize(f).toString().contains("target"))
                    .filter(f -> !root.relativize(f).startsWith(".git"))
                    .sorted(Comparator.comparing(Path::toString))
                    .toList();
        }
    }

    /** A fenced code block of a Markdown file: where it starts and its text. */
    record CodeBlock(Path file, int line, String text) {
        /** The blocks of {@code lines} with a line that runs {@code curl}. */
        static List<CodeBlock> withCurl(Path file, List<String> lines) {
            List<CodeBlock> blocks = new ArrayList<>();
            StringBuilder text = null;
            String fence = null;
            int start = 0;
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                String trimmed = line.strip();
                if (fence == null && (trimmed.startsWith("```") || trimmed.startsWith("~~~"))) {
                    fence = trimmed.substring(0, 3);
                    text = new StringBuilder();
                    start = i + 1;
                } else if (fence != null && trimmed.startsWith(fence)) {
                    String block = text.toString();
                    if (block.lines().anyMatch(l -> l.strip().startsWith("curl "))) {
                        blocks.add(new CodeBlock(file, start, block));
                    }
                    fence = null;
                } else if (fence != null) {
                    text.append(line).append('\n');
                }
            }
            return blocks;
        }
    }
}
