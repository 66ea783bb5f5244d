package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.bench.harness.Harness;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class HarnessOptionsTest {
    @Test
    void parsesQuickAndOnly() {
        HarnessOptions options = HarnessOptions.parse("--quick", "--only", "a,C_get");
        assertThat(options.quick()).isTrue();
        assertThat(options.only()).containsExactly("a", "c_get");
        assertThat(options.selects("a_thread_train_wait_latency")).isTrue();
        assertThat(options.selects("c_get_model_future_latency")).isTrue();
        assertThat(options.selects("e_retained_job_bytes")).isFalse();
        assertThat(options.asArgs()).containsEntry("quick", true);
    }

    @Test
    void javaHomeChoosesTheChildJvmsJdk() {
        HarnessOptions options = HarnessOptions.parse("--java-home", "/opt/jdk-25");
        assertThat(options.javaHome()).isEqualTo("/opt/jdk-25");
        assertThat(options.childJava()).isEqualTo("/opt/jdk-25/bin/java");
        assertThat(options.asArgs()).containsEntry("java_home", "/opt/jdk-25");
        assertThat(HarnessOptions.parse().childJava()).startsWith(System.getProperty("java.home"));
        assertThatThrownBy(() -> HarnessOptions.parse("--java-home")).hasMessageContaining("--java-home needs");
    }

    @Test
    void selectsEverythingByDefault() {
        HarnessOptions options = HarnessOptions.parse();
        assertThat(options.quick()).isFalse();
        assertThat(options.selects("anything")).isTrue();
        assertThat(options.asArgs()).containsEntry("only", null);
    }

    @Test
    void namesAnUnknownOption() {
        assertThatThrownBy(() -> HarnessOptions.parse("--fast"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown option '--fast'; expected --quick, --only, --java-home or --help");
        assertThatThrownBy(() -> HarnessOptions.parse("--only")).hasMessageContaining("--only needs");
    }

    @Test
    void harnessPrintsUsageAndExitsTwoOnABadCommandLine() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Harness.run(
                new String[] {"--fast"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertThat(code).isEqualTo(2);
        assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
        assertThat(err.toString(StandardCharsets.UTF_8))
                .contains("Unknown option '--fast'")
                .contains("Usage:");
    }

    @Test
    void harnessRunsTheSelectedBenchmarksOnly() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Harness.run(
                new String[] {"--quick", "--only", "a_thread_train_wait_latency"},
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()));
        assertThat(code).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8).lines())
                .hasSize(3)
                .satisfies(lines -> assertThat(lines.get(0)).startsWith("{\"bench\":\"meta\""))
                .satisfies(lines -> assertThat(lines.get(1)).startsWith("{\"bench\":\"a_thread_train_wait_latency\""))
                .satisfies(lines -> assertThat(lines.get(2))
                        .startsWith("{\"bench\":\"ratios\"")
                        .contains("\"spawn_over_java_hello\":null"));
    }
}
