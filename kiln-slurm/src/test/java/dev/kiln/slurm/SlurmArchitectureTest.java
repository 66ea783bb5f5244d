package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The Slurm tools know nothing of trainings, the job directory knows nothing of the trainer, and the trainer uses
 * the LOCAL trainer only for its save-path rule.
 */
class SlurmArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/kiln/slurm");

    private static List<String> kilnImports(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .filter(l -> l.startsWith("import dev.kiln."))
                                    .map(l -> p.getFileName() + ": " + l.substring("import dev.kiln.".length()));
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    private static void assertOnlyUses(Path dir, Set<String> allowed) throws IOException {
        List<String> imports = kilnImports(dir);
        assertThat(imports).isNotEmpty();
        for (String line : imports) {
            String imported = line.substring(line.indexOf(": ") + 2);
            assertThat(allowed).as(line).anyMatch(imported::startsWith);
        }
    }

    @Test
    void theSlurmToolsKnowOnlyErrors() throws IOException {
        assertOnlyUses(MAIN.resolve("scheduler"), Set.of("error.", "slurm.scheduler."));
    }

    @Test
    void theJobDirectoryKnowsTheWorkerProtocolAndTheJobModelButNotTheTrainer() throws IOException {
        assertOnlyUses(
                MAIN.resolve("jobdir"),
                Set.of(
                        "job.",
                        "json.",
                        "module.ModuleDescriptor",
                        "trainer.TrainOptions",
                        "worker.JobSpec",
                        "worker.WorkerEvent",
                        "worker.WorkerProtocol",
                        "worker.ProtocolException",
                        "slurm.jobdir."));
    }

    @Test
    void theTrainerTakesNothingFromTheLocalTrainerButItsSavePathRule() throws IOException {
        assertThat(kilnImports(MAIN))
                .filteredOn(l -> l.contains(": local."))
                .isNotEmpty()
                .allMatch(l -> l.endsWith(": local.SavePaths;"));
    }
}
