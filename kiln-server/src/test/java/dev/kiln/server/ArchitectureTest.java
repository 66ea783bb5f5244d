package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The server reaches trainers only through the trainer SPI and the model manager, never a trainer's own code. */
class ArchitectureTest {
    @Test
    void noServerSourceImportsTheLocalTrainer() throws IOException {
        assertThat(sourcesMentioning("dev.kiln.local")).isEmpty();
    }

    @Test
    void noServerSourceImportsTheSlurmTrainer() throws IOException {
        assertThat(sourcesMentioning("dev.kiln.slurm")).isEmpty();
    }

    private static List<String> sourcesMentioning(String pkg) throws IOException {
        Path main = Path.of("src/main/java/dev/kiln/server");
        assertThat(main).isDirectory();
        try (Stream<Path> files = Files.walk(main)) {
            return files.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> read(p).contains(pkg))
                    .map(Path::toString)
                    .toList();
        }
    }

    @Test
    void theApiShapesDependOnNothingOfTheServer() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("src/main/java/dev/kiln/server/api"))) {
            assertThat(files.filter(p -> read(p).matches("(?s).*import dev\\.kiln\\.server\\.(?!api\\.).*"))
                            .toList())
                    .isEmpty();
        }
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
