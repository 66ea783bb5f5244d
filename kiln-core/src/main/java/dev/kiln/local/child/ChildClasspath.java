package dev.kiln.local.child;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/**
 * The class path of child JVMs: this JVM's (or a configured one), with every entry made absolute. A jar's manifest
 * {@code Class-Path} (test runners and launchers use such "manifest-only" jars) is honoured by the child JVM itself;
 * it is read here only to tell whether the class path can back a class-data archive.
 */
final class ChildClasspath {
    private ChildClasspath() {}

    /** This JVM's class path. */
    static List<String> current() {
        return parse(System.getProperty("java.class.path", ""));
    }

    /** A class path in the platform's syntax, entries made absolute against the working directory. */
    static List<String> parse(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator, -1)) {
            if (!entry.isBlank()) {
                entries.add(Path.of(entry.trim()).toAbsolutePath().normalize().toString());
            }
        }
        return entries;
    }

    /**
     * Every entry the class path really holds: the entries and, depth first, the {@code Class-Path} entries of their
     * jars' manifests.
     */
    static List<Path> expand(List<String> classpath) {
        Set<Path> all = new LinkedHashSet<>();
        for (String entry : classpath) {
            add(Path.of(entry), all);
        }
        return List.copyOf(all);
    }

    private static void add(Path entry, Set<Path> all) {
        if (!all.add(entry) || !Files.isRegularFile(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String refs = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (refs == null) {
                return;
            }
            URI base = entry.toAbsolutePath().getParent().toUri();
            for (String ref : refs.trim().split("\\s+", -1)) {
                if (!ref.isEmpty()) {
                    try {
                        add(Path.of(base.resolve(ref)), all);
                    } catch (IllegalArgumentException e) {
                        // an entry the JVM would skip as well
                    }
                }
            }
        } catch (IOException e) {
            // not a jar; the JVM skips it too
        }
    }

    /** Whether a class-data archive can cover this class path: the JVM refuses one when a directory holds classes. */
    static boolean archivable(List<Path> expanded) {
        for (Path entry : expanded) {
            if (Files.isDirectory(entry)) {
                try (Stream<Path> content = Files.list(entry)) {
                    if (content.findAny().isPresent()) {
                        return false;
                    }
                } catch (IOException e) {
                    return false;
                }
            }
        }
        return !expanded.isEmpty();
    }
}
