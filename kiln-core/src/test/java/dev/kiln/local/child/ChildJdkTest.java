package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The child's JDK is read from its release file, without starting it. */
class ChildJdkTest {
    @TempDir
    Path tmp;

    private String jdk(String name, String release) throws Exception {
        Path home = tmp.resolve(name);
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Files.writeString(java, "");
        if (release != null) {
            Files.writeString(home.resolve("release"), release);
        }
        return java.toString();
    }

    @Test
    void aJdk25GetsTheAheadOfTimeCache() throws Exception {
        ChildJdk jdk = ChildJdk.of(jdk("jdk25", "IMPLEMENTOR=\"x\"\nJAVA_VERSION=\"25.0.3\"\n"));
        assertThat(jdk.feature()).isEqualTo(25);
        assertThat(jdk.hasAotCache()).isTrue();
        assertThat(jdk.hasDynamicArchive()).isTrue();
    }

    @Test
    void aJdk17GetsTheDynamicArchiveOnly() throws Exception {
        ChildJdk jdk = ChildJdk.of(jdk("jdk17", "JAVA_VERSION=\"17.0.15\"\n"));
        assertThat(jdk.feature()).isEqualTo(17);
        assertThat(jdk.hasAotCache()).isFalse();
        assertThat(jdk.hasDynamicArchive()).isTrue();
    }

    @Test
    void anOldOrUnknownJdkGetsNoArchive() throws Exception {
        assertThat(ChildJdk.of(jdk("jdk8", "JAVA_VERSION=\"1.8.0_392\"\n")).feature())
                .isEqualTo(8);
        assertThat(ChildJdk.of(jdk("jdk8", "JAVA_VERSION=\"1.8.0_392\"\n")).hasDynamicArchive())
                .isFalse();
        assertThat(ChildJdk.of(jdk("none", null)).hasDynamicArchive()).isFalse();
    }

    @Test
    void aChangedJdkHasAnotherIdentity() throws Exception {
        String java = jdk("jdk", "JAVA_VERSION=\"25.0.1\"\n");
        String before = ChildJdk.of(java).identity();
        Files.writeString(tmp.resolve("jdk").resolve("release"), "JAVA_VERSION=\"25.0.2\"\n");
        assertThat(ChildJdk.of(java).identity()).isNotEqualTo(before);
    }

    @Test
    void thisJvmsJavaIsReadAsThisJvm() {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        assertThat(ChildJdk.of(java).feature()).isEqualTo(Runtime.version().feature());
    }
}
