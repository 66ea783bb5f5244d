package dev.kiln.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The CLI talks to trainers only through the SPI and the manager, and its commands only through the client. */
class CliArchitectureTest {
    private static final Path MAIN = Path.of("src/main/java/dev/kiln/cli");

    private static List<String> imports(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .flatMap(p -> {
                        try {
                            return Files.readAllLines(p).stream()
                                    .filter(l -> l.startsWith("import "))
                                    .map(l -> p.getFileName() + ": " + l);
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    })
                    .toList();
        }
    }

    @Test
    void nothingInTheCliUsesTheLocalTrainersInsides() throws IOException {
        assertThat(imports(MAIN)).isNotEmpty().noneMatch(l -> l.contains("import dev.kiln.local."));
    }

    @Test
    void commandsReachTrainingsOnlyThroughTheClient() throws IOException {
        assertThat(imports(MAIN.resolve("command")))
                .isNotEmpty()
                .noneMatch(l -> l.contains("import dev.kiln.manager.")
                        || l.contains("import dev.kiln.trainer.")
                        || l.contains("import dev.kiln.cli.runs."));
    }

    @Test
    void onlyServeRunsAServerAndOnlyTheClientTalksToOne() throws IOException {
        assertThat(imports(MAIN))
                .filteredOn(l -> l.contains("import dev.kiln.server."))
                .isNotEmpty()
                .allMatch(l -> l.startsWith("ServeCommand.java: ")
                        || l.startsWith("RemoteTrainingClient.java: ")
                        || l.startsWith("RemoteTraining.java: ")
                        || l.startsWith("ServerViews.java: ")
                        || l.startsWith("ServerLog.java: ")
                        || l.startsWith("RemoteModels.java: ")
                        || l.startsWith("ServerOptions.java: "));
        assertThat(imports(MAIN))
                .filteredOn(l -> l.contains("import dev.kiln.server.client."))
                .allMatch(l -> !l.startsWith("ServeCommand.java: "));
    }
}
