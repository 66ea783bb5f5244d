package dev.kiln.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kiln.config.KilnConfig;
import dev.kiln.config.Settings;
import dev.kiln.error.ErrorCode;
import dev.kiln.error.KilnException;
import dev.kiln.local.child.WarmPoolRefill;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The settings that choose the child JVMs' {@code java} and the forkserver pool. */
class ChildJvmSettingsTest {
    private static final String PATH = "model_management.trainers.local.config";

    @TempDir
    Path tmp;

    private static LocalTrainerSettings settings(ObjectNode config) {
        return LocalTrainerSettings.from(new Settings(PATH, config));
    }

    private Path fakeJdk() throws Exception {
        Path bin = Files.createDirectories(tmp.resolve("jdk").resolve("bin"));
        Path java = Files.writeString(bin.resolve("java"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwx------"));
        return tmp.resolve("jdk");
    }

    @Test
    void childrenRunThisJvmsJavaUnlessTold() {
        assertThat(settings(JsonNodeFactory.instance.objectNode()).java()).isNull();
    }

    @Test
    void javaHomeNamesTheJdkWhoseBinJavaChildrenRun() throws Exception {
        Path home = fakeJdk();
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("java_home", home.toString());
        assertThat(settings(config).java()).isEqualTo(home.resolve("bin/java").toString());
    }

    @Test
    void javaNamesTheExecutableItself() throws Exception {
        Path java = fakeJdk().resolve("bin/java");
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("java", java.toString());
        assertThat(settings(config).java()).isEqualTo(java.toString());
    }

    @Test
    void aJavaHomeWithoutJavaIsRefusedNamingTheKey() {
        ObjectNode config = JsonNodeFactory.instance.objectNode().put("java_home", tmp.toString());
        assertThatThrownBy(() -> settings(config))
                .isInstanceOfSatisfying(
                        KilnException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.INVALID_ARGUMENT))
                .hasMessageContaining(PATH + ".java_home")
                .hasMessageContaining("is not an executable java");
    }

    @Test
    void javaAndJavaHomeTogetherAreRefused() throws Exception {
        Path home = fakeJdk();
        ObjectNode config = JsonNodeFactory.instance
                .objectNode()
                .put("java_home", home.toString())
                .put("java", home.resolve("bin/java").toString());
        assertThatThrownBy(() -> settings(config))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("set either java or java_home, not both");
    }

    @Test
    void thePoolKeepsUpWithTheJobsThatMayRunAtOnce() {
        assertThat(settings(JsonNodeFactory.instance.objectNode()).warmPoolSize())
                .isEqualTo(2);
        assertThat(settings(JsonNodeFactory.instance.objectNode().put("max_concurrent_jobs", 1))
                        .warmPoolSize())
                .isEqualTo(2);
        assertThat(settings(JsonNodeFactory.instance.objectNode().put("max_concurrent_jobs", 6))
                        .warmPoolSize())
                .isEqualTo(6);
        assertThat(settings(JsonNodeFactory.instance
                                .objectNode()
                                .put("max_concurrent_jobs", 6)
                                .put("warm_pool_size", 1))
                        .warmPoolSize())
                .isEqualTo(1);
    }

    @Test
    void theBuiltInDefaultTrainerKeepsTwoWorkersAndKillsCancelledChildrenAtOnce() {
        LocalTrainerSettings defaults = LocalTrainerSettings.from(
                KilnConfig.defaultsOnly().trainers().get("default").config());
        assertThat(defaults.warmPoolSize()).isEqualTo(2);
        assertThat(defaults.cancelGracePeriod()).isZero();
        assertThat(settings(JsonNodeFactory.instance.objectNode()).cancelGracePeriod())
                .isZero();
        assertThat(settings(JsonNodeFactory.instance.objectNode().put("cancel_grace_period", "10s"))
                        .cancelGracePeriod())
                .isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void theRefillPolicyIsAfterTheJobUnlessToldAtOnce() {
        assertThat(settings(JsonNodeFactory.instance.objectNode()).warmPoolRefill())
                .isEqualTo(WarmPoolRefill.AFTER_JOB);
        assertThat(settings(JsonNodeFactory.instance.objectNode().put("warm_pool_refill", "AT_ONCE"))
                        .warmPoolRefill())
                .isEqualTo(WarmPoolRefill.AT_ONCE);
        assertThatThrownBy(() -> settings(JsonNodeFactory.instance.objectNode().put("warm_pool_refill", "lazy")))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining(PATH + ".warm_pool_refill")
                .hasMessageContaining("'after_job' and 'at_once'");
    }
}
