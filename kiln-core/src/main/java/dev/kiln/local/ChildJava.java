package dev.kiln.local;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.kiln.config.Settings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Reads which {@code java} child JVMs run: {@code java} (the executable) or {@code java_home} (a JDK or JRE
 * directory, whose {@code bin/java} is used), so children may run a newer JDK than the trainer's own JVM, e.g. to use
 * its ahead-of-time cache. Neither means this JVM's {@code java}.
 */
final class ChildJava {
    private ChildJava() {}

    /**
     * The executable the settings name, or null for this JVM's.
     *
     * @throws dev.kiln.error.KilnException INVALID_ARGUMENT naming the key when both are set or the file is not an
     *     executable
     */
    static String fromSettings(Settings c) {
        Optional<String> java = c.string("java").filter(s -> !s.isBlank());
        Optional<String> home = c.string("java_home").filter(s -> !s.isBlank());
        if (java.isPresent() && home.isPresent()) {
            throw c.invalid("java_home", TextNode.valueOf(home.get()), "set either java or java_home, not both");
        }
        if (java.isPresent()) {
            return executable(c, "java", java.get(), Path.of(java.get()));
        }
        if (home.isPresent()) {
            String exe = System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java";
            return executable(
                    c,
                    "java_home",
                    home.get(),
                    Path.of(home.get()).resolve("bin").resolve(exe));
        }
        return null;
    }

    private static String executable(Settings c, String key, String value, Path java) {
        Path absolute = java.toAbsolutePath().normalize();
        if (!Files.isRegularFile(absolute) || !Files.isExecutable(absolute)) {
            throw c.invalid(key, TextNode.valueOf(value), absolute + " is not an executable java");
        }
        return absolute.toString();
    }
}
