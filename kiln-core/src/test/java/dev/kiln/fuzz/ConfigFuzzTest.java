package dev.kiln.fuzz;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.KilnYaml;
import dev.kiln.error.KilnException;
import dev.kiln.manager.ModelManager;
import dev.kiln.serving.ServingSettings;
import dev.kiln.testing.FuzzBudget;
import dev.kiln.testing.Mutations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * The YAML configuration over mutated files, read as a process reads it (the file, then the trainers and the serving
 * settings built from it): it loads, or fails with a {@link KilnException} naming the file or a key, never anything
 * else.
 */
@AddLifecycleHook(FuzzBudget.class)
class ConfigFuzzTest {
    static final String SEED = """
            model_management:
              trainers:
                default:
                  type: LOCAL
                  config:
                    retention_duration: 1d12h
                    max_concurrent_jobs: 2
                    max_duration: 30s
                    cancel_grace_period: 10s
                    log_capture_bytes: 4096
                    jvm_options: [-Xmx64m]
                    environment: {A: b}
                other:
                  type: LOCAL
                  config: {retention_duration: 2h, delete_results_on_purge: false}
            data_streams:
              file_source_base: data
            runtime:
              local_models_dir: models
              lazy_load_local_models: true
              lazy_load_poll_period_seconds: 10
              model_cache: {max_bytes: 1048576, size_multiplier: 4}
              training: {output_dir: out, save_with_id: true, auto_load_trained_model: false}
            """;

    private Path dir;

    @BeforeProperty
    void makeDir() throws IOException {
        dir = Files.createTempDirectory("kiln-fuzz-config-");
    }

    @AfterProperty
    void removeDir() {
        dev.kiln.modelformat.ModelFormat.deleteRecursively(dir);
    }

    @Provide
    Arbitrary<byte[]> configs() {
        return Mutations.ofBytes(SEED.getBytes(StandardCharsets.UTF_8), 3);
    }

    @Property(tries = 300)
    void aConfigLoadsOrFailsNamingTheFileOrAKey(@ForAll("configs") byte[] yaml) throws IOException {
        Path file = dir.resolve("kiln.yml");
        Files.write(file, yaml);
        try {
            KilnConfig config = KilnConfig.load(List.of(file), Map.of());
            ServingSettings.from(config);
            try (ModelManager manager = ModelManager.fromConfig(config)) {
                assertThat(manager.trainers()).isNotEmpty();
            }
        } catch (KilnException e) {
            assertThat(e.getMessage())
                    .satisfiesAnyOf(
                            m -> assertThat(m).contains(file.toString()),
                            m -> assertThat(keys(new String(yaml, StandardCharsets.UTF_8)))
                                    .anyMatch(m::contains));
        }
    }

    /** Every key in the YAML, when it parses at all. */
    private static Set<String> keys(String yaml) {
        Set<String> keys = new TreeSet<>(Set.of("model_management.trainers"));
        try {
            collect(KilnYaml.mapper().readTree(yaml), keys);
        } catch (IOException | RuntimeException e) {
            // unparseable text: only the file can be named
        }
        return keys;
    }

    private static void collect(JsonNode node, Set<String> keys) {
        if (node == null || !node.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            keys.add(e.getKey());
            collect(e.getValue(), keys);
        }
    }

    @Example
    void theSeedLoads() throws IOException {
        Path file = dir.resolve("seed.yml");
        Files.writeString(file, SEED);
        try (ModelManager manager = ModelManager.fromConfig(KilnConfig.load(List.of(file), Map.of()))) {
            assertThat(manager.trainers()).hasSize(2);
        }
    }
}
