package dev.kiln.slurm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.config.Settings;
import dev.kiln.config.TrainerConfig;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.json.KilnJson;
import dev.kiln.slurm.scheduler.SlurmTools;
import dev.kiln.trainer.ModelTrainer;
import dev.kiln.trainer.TrainerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SLURM trainer's configuration: defaults, every key, and errors that name the key. */
class SlurmTrainerSettingsTest {
    @TempDir
    Path tmp;

    private static SlurmTrainerSettings read(Map<String, Object> config) {
        return SlurmTrainerSettings.from(new Settings(
                "model_management.trainers.hpc.config", KilnJson.data().valueToTree(config)));
    }

    private Map<String, Object> withWorkDir(Object... keysAndValues) {
        Map<String, Object> config = new HashMap<>();
        config.put("work_dir", tmp.toString());
        for (int i = 0; i < keysAndValues.length; i += 2) {
            config.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return config;
    }

    @Test
    void checkpointGraceIsZeroForNoSignalAndAtMostSlurmsLimit() {
        assertThat(read(withWorkDir("checkpoint_grace", "2m")).checkpointGrace())
                .isEqualTo(Duration.ofMinutes(2));
        assertThat(read(withWorkDir("checkpoint_grace", 0)).checkpointGrace()).isNull();
        assertThatThrownBy(() -> read(withWorkDir("checkpoint_grace", "19h")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("checkpoint_grace");
        assertThatThrownBy(() -> read(withWorkDir("max_retries", -1))).hasMessageContaining("max_retries");
    }

    @Test
    void priorityMapsToTheNegatedNiceClampedAtZeroUnlessNegativeNiceIsAllowed() {
        SlurmTrainerSettings plain = read(withWorkDir());
        SlurmTrainerSettings operator = read(withWorkDir("negative_nice", true));

        assertThat(plain.nice(0)).isNull();
        assertThat(plain.nice(-10)).isEqualTo(10);
        assertThat(plain.nice(10)).isNull();
        assertThat(operator.nice(10)).isEqualTo(-10);
        assertThat(operator.nice(Integer.MIN_VALUE)).isEqualTo(2_147_483_645);
    }

    @Test
    void defaultsNeedOnlyTheWorkDirectory() {
        SlurmTrainerSettings s = read(withWorkDir());

        assertThat(s.workDir()).isEqualTo(tmp);
        assertThat(s.retention()).isEqualTo(Duration.ofDays(1));
        assertThat(s.deleteResultsOnPurge()).isTrue();
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(5));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.tools()).isEqualTo(SlurmTools.onPath());
        assertThat(s.java())
                .isEqualTo(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString());
        assertThat(s.classpath())
                .isEqualTo(SlurmTrainerSettings.absoluteClasspath(System.getProperty("java.class.path")));
        assertThat(s.partition()).isNull();
        assertThat(s.timeLimit()).isNull();
        assertThat(s.sbatchArgs()).isEmpty();
        assertThat(s.jvmOptions()).containsExactly("-XX:+ExitOnOutOfMemoryError");
        assertThat(read(withWorkDir("jvm_options", List.of())).jvmOptions()).isEmpty();
        assertThat(s.checkpointGrace()).isEqualTo(Duration.ofSeconds(60));
        assertThat(s.maxRetries()).isEqualTo(2);
        assertThat(s.negativeNice()).isFalse();
        assertThat(s.checkpoints().keep()).isEqualTo(2);
        assertThat(s.checkpoints().keepAfterEnd()).isFalse();
    }

    @Test
    void everyKeyIsRead() {
        SlurmTrainerSettings s = read(withWorkDir(
                "partition",
                "gpu",
                "account",
                "proj",
                "qos",
                "high",
                "time_limit",
                "1d2h",
                "cpus_per_task",
                8,
                "mem",
                "32G",
                "gres",
                "gpu:a100:2",
                "sbatch_args",
                List.of("--exclusive"),
                "java",
                "/opt/jdk/bin/java",
                "jvm_options",
                "-Xmx30g -XX:+UseZGC",
                "classpath",
                "/shared/lib/*",
                "poll_interval",
                "10s",
                "command_timeout",
                "2m",
                "sbatch",
                "/x/sbatch",
                "squeue",
                "/x/squeue",
                "scontrol",
                "/x/scontrol",
                "scancel",
                "/x/scancel",
                "sacct",
                "/x/sacct",
                "retention_duration",
                null,
                "delete_results_on_purge",
                false,
                "log_capture_bytes",
                4096));

        assertThat(s.partition()).isEqualTo("gpu");
        assertThat(s.account()).isEqualTo("proj");
        assertThat(s.qos()).isEqualTo("high");
        assertThat(s.timeLimit()).isEqualTo(Duration.ofHours(26));
        assertThat(s.cpusPerTask()).isEqualTo(8);
        assertThat(s.mem()).isEqualTo("32G");
        assertThat(s.gres()).isEqualTo("gpu:a100:2");
        assertThat(s.sbatchArgs()).containsExactly("--exclusive");
        assertThat(s.java()).isEqualTo("/opt/jdk/bin/java");
        assertThat(s.jvmOptions()).containsExactly("-Xmx30g", "-XX:+UseZGC");
        assertThat(s.classpath()).isEqualTo("/shared/lib/*");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(s.commandTimeout()).isEqualTo(Duration.ofMinutes(2));
        assertThat(s.tools())
                .isEqualTo(new SlurmTools("/x/sbatch", "/x/squeue", "/x/scontrol", "/x/scancel", "/x/sacct"));
        assertThat(s.retention()).isNull();
        assertThat(s.deleteResultsOnPurge()).isFalse();
        assertThat(s.logCaptureBytes()).isEqualTo(4096);
    }

    @Test
    void relativePathsAreMadeAbsoluteAsJobsStartInTheirOwnDirectory() {
        SlurmTrainerSettings s = read(
                Map.of("work_dir", "work", "classpath", "lib/*:/abs/x.jar:target/classes", "java", "jdk/bin/java"));
        Path here = Path.of("").toAbsolutePath();

        assertThat(s.workDir()).isEqualTo(here.resolve("work"));
        assertThat(s.classpath()).isEqualTo(here.resolve("lib/*") + ":/abs/x.jar:" + here.resolve("target/classes"));
        assertThat(s.java()).isEqualTo(here.resolve("jdk/bin/java").toString());
        assertThat(read(withWorkDir("java", "java")).java())
                .as("a bare name is looked up on the node")
                .isEqualTo("java");
    }

    @Test
    void aMissingWorkDirectoryIsNamed() {
        assertThatThrownBy(() -> read(Map.of("partition", "gpu")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageStartingWith(
                        "model_management.trainers.hpc.config.work_dir is required for a SLURM" + " trainer");
    }

    @Test
    void badValuesNameTheKeyAndValue() {
        assertThatThrownBy(() -> read(withWorkDir("poll_interval", "0s")))
                .hasMessage("Invalid value '0s' for model_management.trainers.hpc.config.poll_interval: expected a"
                        + " duration above zero");
        assertThatThrownBy(() -> read(withWorkDir("time_limit", "soon")))
                .hasMessageStartingWith("Invalid value 'soon' for model_management.trainers.hpc.config.time_limit");
        assertThatThrownBy(() -> read(withWorkDir("cpus_per_task", 0)))
                .hasMessage("Invalid value '0' for model_management.trainers.hpc.config.cpus_per_task: expected at"
                        + " least 1");
        assertThatThrownBy(() -> read(withWorkDir("mem", "lots")))
                .hasMessage("Invalid value 'lots' for model_management.trainers.hpc.config.mem: expected a size such"
                        + " as 4096, 500M or 4G");
    }

    @Test
    void theTypeSlurmIsFoundOnTheClassPathAndBuiltFromConfiguration() {
        TrainerFactory factory = TrainerFactory.discover();
        assertThat(factory.types()).contains("SLURM");

        Settings config = new Settings(
                "model_management.trainers.hpc.config",
                KilnJson.data().valueToTree(withWorkDir("poll_interval", "1h")));
        try (ModelTrainer trainer = factory.create(new TrainerConfig("hpc", "SLURM", null, config))) {
            assertThat(trainer).isInstanceOf(SlurmModelTrainer.class);
            assertThat(trainer.name()).isEqualTo("hpc");
            assertThat(trainer.type()).isEqualTo("SLURM");
        }
    }
}
