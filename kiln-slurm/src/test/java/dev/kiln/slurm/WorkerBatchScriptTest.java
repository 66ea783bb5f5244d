package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.config.Settings;
import dev.kiln.json.KilnJson;
import dev.kiln.slurm.scheduler.CommandResult;
import dev.kiln.slurm.scheduler.ProcessCommandRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The batch script hands every word to the worker exactly as configured, whatever it contains. */
class WorkerBatchScriptTest {
    @TempDir
    Path tmp;

    @Test
    void wordsWithQuotesSpacesAndShellCharactersArriveUnchanged() throws Exception {
        Path printer = tmp.resolve("print-args");
        Files.writeString(printer, "#!/bin/sh\nfor a in \"$@\"; do printf '[%s]\\n' \"$a\"; done\n");
        printer.toFile().setExecutable(true);
        SlurmTrainerSettings settings = SlurmTrainerSettings.from(new Settings(
                "c",
                KilnJson.data()
                        .valueToTree(Map.of(
                                "work_dir",
                                tmp.toString(),
                                "java",
                                printer.toString(),
                                "jvm_options",
                                List.of("-Dx=it's $HOME `id`", "-Xmx1g"),
                                "classpath",
                                "/a b/*:/c"))));
        Path jobDir = tmp.resolve("job dir");
        Path script = tmp.resolve("job.sh");
        Files.writeString(script, WorkerBatchScript.text(settings, "id\nwith newline", jobDir));

        CommandResult result = new ProcessCommandRunner(Duration.ofSeconds(30)).run(List.of("sh", script.toString()));

        assertThat(result.stdout())
                .isEqualTo("[-Dx=it's $HOME `id`]\n[-Xmx1g]\n[-cp]\n[/a b/*:/c]\n"
                        + "[dev.kiln.worker.WorkerMain]\n[--job-dir]\n[" + jobDir + "]\n");
        assertThat(Files.readString(script)).startsWith("#!/bin/sh\n# Kiln training id?with newline: ");
    }
}
