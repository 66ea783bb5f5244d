package dev.kiln.bench.calls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ColdCallsTest {
    @Test
    void countsTheMethodsOfOneRoundTripInWhichTheCallerRunsItsJob() throws Exception {
        List<String> entered = ColdCalls.count(System.getProperty("java.class.path"));

        assertThat(entered).first().isEqualTo("dev.kiln.bench.Jobs.trainAwait");
        assertThat(entered)
                .extracting(String::strip)
                .contains(
                        "dev.kiln.trainer.base.AbstractModelTrainer.submit",
                        "dev.kiln.local.ThreadJobRunner.runHere",
                        "dev.kiln.local.ThreadJobRunner.attempt",
                        "dev.kiln.bench.modules.InstantModule.train",
                        "dev.kiln.job.JobState.end")
                .doesNotContain("dev.kiln.bench.calls.ColdCallsTarget.end");
        assertThat(entered.stream().filter(m -> m.startsWith("    ")))
                .as("methods below the round trip's own are indented by their depth")
                .isNotEmpty();
    }

    @Test
    void anotherBuildMustBeAHarnessJarThatExists(@TempDir Path dir) throws Exception {
        Path missing = dir.resolve("missing.jar");
        Path text = Files.writeString(dir.resolve("notes.txt"), "not a jar");
        Path otherJar = dir.resolve("other.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(otherJar))) {
            out.putNextEntry(new JarEntry("other/Main.class"));
            out.closeEntry();
        }

        assertThat(ColdCalls.notAHarnessJar(missing))
                .contains(missing.toString())
                .contains("no such file");
        assertThat(ColdCalls.notAHarnessJar(text)).contains(text.toString()).contains("not a jar");
        assertThat(ColdCalls.notAHarnessJar(otherJar))
                .contains(otherJar.toString())
                .contains("not a Kiln harness jar");
        Path harnessJar = dir.resolve("harness.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(harnessJar))) {
            out.putNextEntry(new JarEntry("dev/kiln/local/LocalModelTrainer.class"));
            out.closeEntry();
        }
        assertThat(ColdCalls.notAHarnessJar(harnessJar)).isNull();
    }
}
