package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.local.LocalModelTrainer;
import java.util.List;
import org.junit.jupiter.api.Test;

class JvmOptionsTest {
    @Test
    void defaultsComeFirstAndConfiguredOptionsAreAppended() {
        assertThat(JvmOptionDefaults.merge(List.of("-Xmx2g"), StartMethod.SPAWN, 8))
                .containsExactly(
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xshare:auto",
                        "-XX:-UsePerfData",
                        "-Xmx2g");
    }

    @Test
    void aConfiguredOptionReplacesTheDefaultOfTheSameName() {
        assertThat(JvmOptionDefaults.merge(
                        List.of("-XX:TieredStopAtLevel=4", "-XX:+UsePerfData", "-Xshare:off"), StartMethod.SPAWN, 8))
                .containsExactly(
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:+UseSerialGC",
                        "-XX:TieredStopAtLevel=4",
                        "-XX:+UsePerfData",
                        "-Xshare:off");
    }

    @Test
    void onTwoProcessorsOrFewerASpawnedWorkersJitGetsOneCompilerThread() {
        assertThat(JvmOptionDefaults.merge(List.of("-Xmx2g"), StartMethod.SPAWN, 2))
                .containsExactly(
                        "-XX:+ExitOnOutOfMemoryError",
                        "-XX:TieredStopAtLevel=1",
                        "-XX:+UseSerialGC",
                        "-Xshare:auto",
                        "-XX:-UsePerfData",
                        "-XX:CICompilerCount=1",
                        "-Xmx2g");
        assertThat(JvmOptionDefaults.merge(List.of(), StartMethod.SPAWN, 1)).contains("-XX:CICompilerCount=1");
        assertThat(JvmOptionDefaults.merge(List.of(), StartMethod.SPAWN, 3))
                .noneMatch(o -> o.startsWith("-XX:CICompilerCount"));
        assertThat(JvmOptionDefaults.merge(List.of(), StartMethod.FORKSERVER, 2))
                .noneMatch(o -> o.startsWith("-XX:CICompilerCount"));
    }

    @Test
    void optionsThatChooseTheJitKeepItsDefaultCompilerThreads() {
        // the full tiered JIT refuses a single compiler thread: "CICompilerCount (1) must be at least 2"
        assertThat(JvmOptionDefaults.merge(List.of("-XX:TieredStopAtLevel=4"), StartMethod.SPAWN, 2))
                .noneMatch(o -> o.startsWith("-XX:CICompilerCount"));
        assertThat(JvmOptionDefaults.merge(List.of("-XX:CICompilerCount=3"), StartMethod.SPAWN, 2))
                .containsOnlyOnce("-XX:CICompilerCount=3")
                .doesNotContain("-XX:CICompilerCount=1");
    }

    @Test
    void choosingACollectorReplacesTheDefaultOne() {
        assertThat(JvmOptionDefaults.merge(List.of("-XX:+UseG1GC"), StartMethod.SPAWN))
                .doesNotContain("-XX:+UseSerialGC")
                .endsWith("-XX:+UseG1GC");
    }

    @Test
    void theHeapLimitIsNamedFromTheOptions() {
        assertThat(HeapLimit.describe(List.of("-Xmx1g", "-Xmx32m")))
                .isEqualTo("the heap limit -Xmx32m from jvm_options");
        assertThat(HeapLimit.describe(List.of("-XX:MaxRAMPercentage=50"))).contains("-XX:MaxRAMPercentage=50");
        assertThat(HeapLimit.describe(List.of("-XX:+UseSerialGC")))
                .contains("default heap limit")
                .contains("set -Xmx in jvm_options");
    }

    @Test
    void theDefaultsATrainerNamesAreWhatAChildWithoutJvmOptionsStartsWith() {
        assertThat(LocalModelTrainer.defaultChildJvmOptions())
                .isEqualTo(JvmOptionDefaults.merge(List.of(), StartMethod.FORKSERVER, 8))
                .contains("-XX:+UseSerialGC");
    }
}
