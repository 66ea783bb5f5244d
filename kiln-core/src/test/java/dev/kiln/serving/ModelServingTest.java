package dev.kiln.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.modelformat.ModelFormat;
import dev.kiln.module.ModuleRegistry;
import dev.kiln.testing.SampleModel;
import dev.kiln.testing.SampleModule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelServingTest {
    private final ObjectMapper json = new ObjectMapper();
    private final ModuleRegistry modules = new ModuleRegistry(List.of(new SampleModule()));

    @TempDir
    Path tmp;

    private ModelServing serving(boolean lazy) {
        return new ModelServing(
                ServingSettings.defaults()
                        .withLocalModelsDir(tmp.resolve("models"))
                        .withLazyLoadLocalModels(lazy),
                modules);
    }

    private Path saved(String where, int batchSize) {
        return ModelFormat.save(new SampleModel(batchSize, 0), tmp.resolve(where), "t");
    }

    private static Map<String, byte[]> filesOf(Path dir) throws Exception {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }

    @Test
    void aCompletedTrainingsModelAnswersUnderItsNameAndItsTrainingId() throws Exception {
        ModelServing serving = serving(false);
        serving.addTrained("t1", "doubler", saved("out/t1/doubler", 2), Instant.EPOCH);
        var sample = serving.tasks().byRoute("sample");

        assertThat(serving.predict(sample, "doubler", json.readTree("21"))).isEqualTo(json.readTree("42"));
        assertThat(serving.run("t1/doubler", 5)).isEqualTo(10);
        assertThat(serving.cache().loaded()).hasSize(1);
    }

    @Test
    void aRetrainedModelReplacesTheOldOneForTheNextCall() throws Exception {
        ModelServing serving = serving(false);
        serving.addTrained("t1", "m", saved("out/t1/m", 2), Instant.parse("2026-12-01T10:00:00Z"));
        assertThat(serving.run("m", 1)).isEqualTo(2);

        serving.addTrained("t2", "m", saved("out/t2/m", 3), Instant.parse("2026-12-01T11:00:00Z"));

        assertThat(serving.run("m", 1)).isEqualTo(3);
        assertThat(serving.run("t1/m", 1)).isEqualTo(2);
        assertThat(serving.cache().loaded())
                .extracting(l -> l.served().trainingId())
                .containsExactlyInAnyOrder("t2", "t1");
    }

    @Test
    void unknownModelsWrongTasksAndUnfitInputsAreNamed() throws Exception {
        ModelServing serving = serving(false);
        serving.addTrained("t1", "doubler", saved("out/t1/doubler", 2), Instant.EPOCH);

        assertThatThrownBy(() -> serving.predict(serving.tasks().byRoute("sample"), "ghost", json.readTree("1")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("'ghost'");
        assertThatThrownBy(() -> serving.predict(
                        serving.tasks().byRoute("text-classification"), "doubler", json.readTree("\"hi\"")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'doubler' performs SampleTask, not TextClassificationTask");
        assertThatThrownBy(() -> serving.predict(serving.tasks().byRoute("sample"), "doubler", json.readTree("\"x\"")))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("'inputs'");
    }

    @Test
    void aModelThatFailsToLoadIsNamedAndServedOnceItsFilesAreRepaired() throws Exception {
        ModelServing serving = serving(false);
        Path dir = saved("out/t1/broken", 4);
        byte[] weights = Files.readAllBytes(dir.resolve("weights.json"));
        Files.delete(dir.resolve("weights.json"));
        serving.addTrained("t1", "broken", dir, Instant.EPOCH);

        assertThatThrownBy(() -> serving.run("broken", 1))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("'broken'")
                .hasMessageContaining("weights.json is missing");

        Files.write(dir.resolve("weights.json"), weights);
        assertThat(serving.run("broken", 1)).isEqualTo(4);
    }

    @Test
    void localModelsAreServedUnderTheirDirectoryNamesAndSyncsFollowTheDirectory() throws Exception {
        ModelServing serving = serving(false);
        saved("models/alpha", 2);
        serving.syncLocalModels();
        assertThat(serving.run("alpha", 1)).isEqualTo(2);

        saved("models/beta", 5);
        assertThatThrownBy(() -> serving.resolve("beta")).isInstanceOf(KilnException.class);
        serving.syncLocalModels();
        assertThat(serving.run("beta", 1)).isEqualTo(5);

        ModelFormat.deleteRecursively(tmp.resolve("models/alpha"));
        serving.syncLocalModels();
        assertThat(serving.catalog().find("alpha")).isEmpty();
    }

    @Test
    void withLazyLoadingANewLocalModelIsServedOnFirstAsk() {
        ModelServing serving = serving(true);
        saved("models/fresh", 7);

        assertThat(serving.run("fresh", 1)).isEqualTo(7);
        assertThat(serving.status(List.of("fresh"))).singleElement().satisfies(s -> {
            assertThat(s.origin()).isEqualTo(ModelOrigin.LOCAL);
            assertThat(s.inMemory()).isTrue();
            assertThat(s.moduleName()).isEqualTo("SampleModule");
        });
    }

    @Test
    void deployWritesAllOrNothingAndUndeployRemovesTheModel() throws Exception {
        ModelServing serving = serving(false);
        Map<String, byte[]> files = filesOf(saved("elsewhere/m", 3));

        ModelStatus deployed = serving.deploy("my-model", files);

        assertThat(deployed.path()).isEqualTo(tmp.resolve("models/my-model").toAbsolutePath());
        assertThat(deployed.origin()).isEqualTo(ModelOrigin.DEPLOYED);
        assertThat(serving.run("my-model", 2)).isEqualTo(6);
        assertThatThrownBy(() -> serving.deploy("my-model", files))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.CONFLICT));
        assertThatThrownBy(() -> serving.deploy("bad", Map.of("notes.txt", new byte[] {1})))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("config.yml");
        assertThatThrownBy(() -> serving.deploy("escape", Map.of("../../x", new byte[] {1})))
                .hasMessageContaining("'../../x'");
        assertThatThrownBy(() -> serving.deploy("../up", files)).hasMessageContaining("model_id");
        assertThatThrownBy(() -> serving.deploy("bad\ud800", files))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("model_id");
        assertThatThrownBy(() -> serving.deploy("odd-file", Map.of("config\u0000.yml", new byte[] {1})))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Model file name");
        try (Stream<Path> left = Files.list(tmp.resolve("models"))) {
            assertThat(left).extracting(p -> p.getFileName().toString()).containsExactly("my-model");
        }
        assertThat(tmp.resolve("x")).doesNotExist();

        serving.undeploy("my-model");

        assertThat(tmp.resolve("models/my-model")).doesNotExist();
        assertThat(serving.status(List.of())).isEmpty();
        assertThatThrownBy(() -> serving.undeploy("my-model"))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                .hasMessageContaining("my-model");
    }

    @Test
    void aDeployWhoseFilesDoNotLoadIsRefusedNamingTheModelAndTheCauseAndLeavesNothing() throws Exception {
        ModelServing serving = serving(true);
        Map<String, byte[]> files = filesOf(saved("elsewhere/m", 3));
        Map<String, byte[]> broken = new LinkedHashMap<>(files);
        broken.put("weights.json", "{\"batch_size\": ".getBytes(java.nio.charset.StandardCharsets.UTF_8));

        assertThatThrownBy(() -> serving.deploy("broken", broken))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining("Model 'broken' was not deployed")
                .hasMessageContaining("Unexpected end-of-input");

        try (Stream<Path> left = Files.list(tmp.resolve("models"))) {
            assertThat(left).isEmpty();
        }
        assertThat(serving.status(List.of())).isEmpty();
        assertThatThrownBy(() -> serving.run("broken", 2))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND));
        assertThat(serving.deploy("broken", files).inMemory()).isTrue();
        assertThat(serving.run("broken", 2)).isEqualTo(6);
    }

    @Test
    void aLocalModelWhoseFilesDoNotLoadAnswersNotFoundNamingTheCauseUntilItIsMended() throws Exception {
        ModelServing serving = serving(false);
        Path dir = saved("models/broken", 3);
        byte[] good = Files.readAllBytes(dir.resolve("weights.json"));
        Files.writeString(dir.resolve("weights.json"), "{\"batch_size\": ");
        serving.syncLocalModels();
        assertThat(serving.status(List.of("broken")))
                .singleElement()
                .satisfies(s -> assertThat(s.loadError()).isNull());

        for (int attempt = 0; attempt < 2; attempt++) {
            assertThatThrownBy(() -> serving.run("broken", 2))
                    .isInstanceOfSatisfying(
                            KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.NOT_FOUND))
                    .hasMessageContaining("Model 'broken' could not be loaded")
                    .hasMessageContaining("Unexpected end-of-input");
        }
        assertThat(serving.status(List.of("broken"))).singleElement().satisfies(s -> {
            assertThat(s.inMemory()).isFalse();
            assertThat(s.loadError()).contains("Model 'broken' could not be loaded");
        });

        Files.write(dir.resolve("weights.json"), good);
        assertThat(serving.run("broken", 2)).isEqualTo(6);
        assertThat(serving.status(List.of("broken"))).singleElement().satisfies(s -> {
            assertThat(s.inMemory()).isTrue();
            assertThat(s.loadError()).isNull();
        });
    }

    @Test
    void trainedModelsAreNotServedWhenAutoLoadIsOff() {
        ServingSettings off =
                new ServingSettings(false, tmp.resolve("models"), false, java.time.Duration.ofSeconds(10), 1 << 20, 10);
        ModelServing serving = new ModelServing(off, modules);

        assertThat(serving.addTrained("t1", "m", saved("out/t1/m", 2), Instant.EPOCH))
                .isEmpty();
        assertThat(serving.catalog().all()).isEmpty();
    }

    @Test
    void settingsComeFromCaikitsKeys() {
        var config = dev.kiln.config.KilnConfig.ofYaml("runtime:\n  local_models_dir: /srv/models\n"
                + "  lazy_load_local_models: true\n  model_cache:\n    max_bytes: 1000\n");
        ServingSettings s = ServingSettings.from(config);

        assertThat(s.localModelsDir()).isEqualTo(Path.of("/srv/models"));
        assertThat(s.lazyLoadLocalModels()).isTrue();
        assertThat(s.autoLoadTrainedModel()).isTrue();
        assertThat(s.cacheMaxBytes()).isEqualTo(1000);
    }
}
