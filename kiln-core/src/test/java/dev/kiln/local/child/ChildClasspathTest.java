package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChildClasspathTest {
    @TempDir
    Path tmp;

    private Path jar(String name, String classPath) throws Exception {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (classPath != null) {
            manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        }
        Path jar = tmp.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar);
                JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            // an empty jar with a manifest
        }
        return jar;
    }

    @Test
    void entriesAreMadeAbsolute() {
        List<String> entries = ChildClasspath.parse("lib/a.jar" + File.pathSeparator + File.pathSeparator + "b");
        assertThat(entries).hasSize(2).allMatch(e -> Path.of(e).isAbsolute());
        assertThat(entries.get(0)).endsWith(Path.of("lib", "a.jar").toString());
    }

    @Test
    void manifestClassPathsAreFollowed() throws Exception {
        Path dep = jar("dep.jar", null);
        Path other = jar("other.jar", null);
        Path booter = jar("booter.jar", "dep.jar " + other.toUri());
        assertThat(ChildClasspath.expand(List.of(booter.toString()))).containsExactly(booter, dep, other);
    }

    @Test
    void aDirectoryWithClassesRulesOutAnArchive() throws Exception {
        Path jar = jar("a.jar", null);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        assertThat(ChildClasspath.archivable(List.of(jar, classes))).isTrue();
        Files.writeString(classes.resolve("A.class"), "");
        assertThat(ChildClasspath.archivable(List.of(jar, classes))).isFalse();
    }
}
