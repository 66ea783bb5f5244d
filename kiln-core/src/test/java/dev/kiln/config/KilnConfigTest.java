package dev.kiln.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.local.LocalTrainerSettings;
import dev.kiln.local.child.StartMethod;
import dev.kiln.manager.ModelManager;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KilnConfigTest {
    @TempDir
    Path tmp;

    private LocalTrainerSettings defaultTrainer(KilnConfig config) {
        return LocalTrainerSettings.from(config.trainers().get("default").config());
    }

    @Test
    void builtInDefaultsAreCaikits() {
        KilnConfig config = KilnConfig.load(List.of(), Map.of());
        TrainerConfig trainer = config.trainers().get("default");
        assertThat(trainer.type()).isEqualTo("LOCAL");
        LocalTrainerSettings s = defaultTrainer(config);
        assertThat(s.retention()).isEqualTo(Duration.ofDays(1));
        assertThat(s.useSubprocess()).isFalse();
        assertThat(s.startMethod()).isEqualTo(StartMethod.SPAWN);
        assertThat(s.maxConcurrentJobs()).isZero();
        assertThat(s.deleteResultsOnPurge()).isTrue();
    }

    @Test
    void filesOverrideDefaultsAndEnvironmentOverridesFiles() throws Exception {
        Path first = tmp.resolve("a.yml");
        Path second = tmp.resolve("b.yml");
        Files.writeString(first, """
                model_management:
                  trainers:
                    default:
                      config:
                        retention_duration: 3h
                        max_concurrent_jobs: 4
                """);
        Files.writeString(second, """
                model_management:
                  trainers:
                    default:
                      config:
                        max_concurrent_jobs: 2
                """);
        KilnConfig fromFiles = KilnConfig.load(List.of(), Map.of("CONFIG_FILES", first + "," + second));
        assertThat(defaultTrainer(fromFiles).retention()).isEqualTo(Duration.ofHours(3));
        assertThat(defaultTrainer(fromFiles).maxConcurrentJobs()).isEqualTo(2);

        KilnConfig withEnv = KilnConfig.load(
                List.of(first),
                Map.of(
                        "MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_RETENTION_DURATION", "2h",
                        "MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_USE_SUBPROCESS", "true",
                        "MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_MAX_CONCURRENT_JOBS", "7"));
        assertThat(defaultTrainer(withEnv).retention()).isEqualTo(Duration.ofHours(2));
        assertThat(defaultTrainer(withEnv).useSubprocess()).isTrue();
        assertThat(defaultTrainer(withEnv).maxConcurrentJobs()).isEqualTo(7);
    }

    @Test
    void environmentCanSetAKeyWhoseDefaultIsNull() {
        KilnConfig config = KilnConfig.load(
                List.of(),
                Map.of(
                        "MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_MAX_DURATION", "30m",
                        "DATA_STREAMS_FILE_SOURCE_BASE", "/data"));
        assertThat(defaultTrainer(config).maxDuration()).isEqualTo(Duration.ofMinutes(30));
        assertThat(config.section("data_streams").string("file_source_base")).contains("/data");
    }

    @Test
    void nullRetentionKeepsJobsForever() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {config: {retention_duration: null}}}}
                """);
        assertThat(defaultTrainer(config).retention()).isNull();
    }

    @Test
    void aBadValueNamesTheKeyAndTheValue() {
        KilnConfig config = KilnConfig.load(
                List.of(), Map.of("MODEL_MANAGEMENT_TRAINERS_DEFAULT_CONFIG_RETENTION_DURATION", "soon"));
        assertThatThrownBy(() -> defaultTrainer(config))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("model_management.trainers.default.config.retention_duration")
                .hasMessageContaining("'soon'");
    }

    @Test
    void aBadConcurrencyLimitNamesTheKey() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {config: {max_concurrent_jobs: 0}}}}
                """);
        assertThatThrownBy(() -> defaultTrainer(config))
                .hasMessageContaining("model_management.trainers.default.config.max_concurrent_jobs");
    }

    @Test
    void forkIsRefusedWithTheReasonAndTheSupportedValues() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {config: {subprocess_start_method: fork}}}}
                """);
        assertThatThrownBy(() -> defaultTrainer(config))
                .hasMessageContaining("subprocess_start_method")
                .hasMessageContaining("cannot fork")
                .hasMessageContaining("spawn")
                .hasMessageContaining("forkserver");
    }

    @Test
    void anUnknownTrainerTypeListsTheKnownTypes() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {type: NOPE}}}
                """);
        assertThatThrownBy(() -> ModelManager.fromConfig(config))
                .hasMessageContaining("Unknown trainer type 'NOPE'")
                .hasMessageContaining("LOCAL");
    }

    @Test
    void aTrainerCanBeMadeByImportClass() {
        KilnConfig config = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {import_class: dev.kiln.local.LocalTrainerProvider}}}
                """);
        try (ModelManager manager = ModelManager.fromConfig(config)) {
            assertThat(manager.trainer("default").type()).isEqualTo("LOCAL");
        }
        KilnConfig missing = KilnConfig.ofYaml("""
                model_management: {trainers: {default: {import_class: com.example.Missing}}}
                """);
        assertThatThrownBy(() -> ModelManager.fromConfig(missing))
                .hasMessageContaining("com.example.Missing")
                .hasMessageContaining("not on the class path");
    }

    @Test
    void aMissingOrMalformedFileIsNamed() throws Exception {
        Path missing = tmp.resolve("missing.yml");
        assertThatThrownBy(() -> KilnConfig.load(List.of(missing), Map.of())).hasMessageContaining(missing.toString());
        Path bad = tmp.resolve("bad.yml");
        Files.writeString(bad, "model_management: [unclosed");
        assertThatThrownBy(() -> KilnConfig.load(List.of(bad), Map.of())).hasMessageContaining(bad.toString());
    }
}
