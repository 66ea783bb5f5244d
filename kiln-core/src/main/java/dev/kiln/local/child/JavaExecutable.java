package dev.kiln.local.child;

import java.nio.file.Files;
import java.nio.file.Path;

/** Finds the {@code java} that runs this JVM, so children run the same version with the same modules. */
final class JavaExecutable {
    private JavaExecutable() {}

    static String current() {
        return ProcessHandle.current()
                .info()
                .command()
                .filter(command -> Path.of(command).getFileName().toString().startsWith("java"))
                .filter(command -> Files.isExecutable(Path.of(command)))
                .orElseGet(() -> Path.of(
                                System.getProperty("java.home"),
                                "bin",
                                System.getProperty("os.name", "").startsWith("Windows") ? "java.exe" : "java")
                        .toString());
    }
}
