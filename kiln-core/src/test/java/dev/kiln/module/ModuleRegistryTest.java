package dev.kiln.module;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.testing.SampleModule;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModuleRegistryTest {

    @ModuleInfo(id = "00110203-0405-0607-0809-0a0b0c0d0e0f", name = "Impostor", version = "1", task = "T")
    static final class SameId implements ModuleType<SampleModule.Params, Model> {
        @Override
        public Class<SampleModule.Params> parametersType() {
            return SampleModule.Params.class;
        }

        @Override
        public Model train(SampleModule.Params parameters, TrainingContext context) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Model load(ModelDirectory directory) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void modulesAreDiscoveredAndFoundByIdNameOrClass() {
        ModuleRegistry registry = ModuleRegistry.global();
        assertThat(registry.get("SampleModule")).isInstanceOf(SampleModule.class);
        assertThat(registry.get("00110203-0405-0607-0809-0a0b0c0d0e0f")).isInstanceOf(SampleModule.class);
        assertThat(registry.get(SampleModule.class.getName())).isInstanceOf(SampleModule.class);
        assertThat(registry.get("SampleModule").descriptor().task()).isEqualTo("SampleTask");
    }

    @Test
    void anUnknownModuleIsNamedWithTheKnownOnes() {
        assertThatThrownBy(() -> ModuleRegistry.global().get("Nope"))
                .hasMessageContaining("Unknown module 'Nope'")
                .hasMessageContaining("SampleModule");
    }

    @Test
    void duplicateIdsAreAnError() {
        assertThatThrownBy(() -> new ModuleRegistry(List.of(new SampleModule(), new SameId())))
                .hasMessageContaining("Duplicate module id 00110203-0405-0607-0809-0a0b0c0d0e0f")
                .hasMessageContaining(SameId.class.getName());
    }
}
