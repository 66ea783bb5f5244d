package dev.kiln;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the job model and the trainer SPI free of the code that implements them. */
class ArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/kiln");

    private static List<String> kilnImports(String pkg) throws IOException {
        try (Stream<Path> files = Files.walk(MAIN.resolve(pkg))) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .filter(l ->
                                            l.startsWith("import dev.kiln.") || l.startsWith("import static dev.kiln."))
                                    .map(l -> p.getFileName() + ": " + l);
                        } catch (IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    private static void assertOnlyUses(String pkg, Set<String> allowed) throws IOException {
        for (String line : kilnImports(pkg)) {
            String imported = line.substring(line.indexOf("dev.kiln.") + "dev.kiln.".length());
            String target = imported.substring(0, imported.indexOf('.'));
            assertThat(allowed).as("%s in package dev.kiln.%s", line, pkg).contains(target);
        }
    }

    @Test
    void theJobModelDependsOnNothingElseInKiln() throws IOException {
        assertOnlyUses("job", Set.of("job"));
    }

    @Test
    void theTrainerSpiDependsOnlyOnTheJobModelModulesAndErrors() throws IOException {
        assertOnlyUses("trainer", Set.of("trainer", "job", "module", "error", "config"));
    }

    @Test
    void theModuleApiDoesNotReachIntoTrainers() throws IOException {
        assertOnlyUses("module", Set.of("module", "error", "model", "data", "json"));
    }

    @Test
    void servingKnowsOnlyTheModelFormatModulesAndTheTrainerSpi() throws IOException {
        assertOnlyUses("serving", Set.of("serving", "model", "module", "error", "json", "config", "trainer", "job"));
    }

    @Test
    void theTrainingLogDependsOnNothingElseInKiln() throws IOException {
        assertOnlyUses("logging", Set.of("logging"));
    }

    @Test
    void theWorkerKnowsNothingOfTheTrainersThatStartIt() throws IOException {
        assertOnlyUses("worker", Set.of("worker", "job", "json", "model", "module", "error", "data", "logging"));
    }
}
