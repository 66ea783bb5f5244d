package dev.kiln.local.child;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The JDK a child's {@code java} belongs to, read without starting it: its feature version (from the JDK's
 * {@code release} file) decides which class-data sharing the children get, and its identity (that file and the size
 * and time of its module image) goes into the archive's name, so a changed JDK gets a new archive.
 *
 * @param feature the feature version, such as 17 or 25; 0 when it cannot be told
 * @param identity text that changes whenever the JDK does
 */
record ChildJdk(int feature, String identity) {
    private static final Pattern VERSION = Pattern.compile("(?m)^JAVA_VERSION=\"(?:1\\.)?(\\d+)");

    /** The JDK of {@code java}: this JVM's when it is this JVM's executable, else read from its home. */
    static ChildJdk of(String java) {
        Path home = home(java);
        String release = "";
        String modules = "";
        if (home != null) {
            try {
                release = Files.readString(home.resolve("release"));
            } catch (IOException e) {
                release = "";
            }
            Path image = home.resolve("lib").resolve("modules");
            try {
                modules = Files.size(image) + "|"
                        + Files.getLastModifiedTime(image).toMillis();
            } catch (IOException e) {
                modules = "";
            }
        }
        Matcher m = VERSION.matcher(release);
        int feature;
        if (m.find()) {
            feature = Integer.parseInt(m.group(1));
        } else if (home != null
                && home.equals(Path.of(System.getProperty("java.home")).normalize())) {
            feature = Runtime.version().feature();
        } else {
            feature = 0;
        }
        String identity = java + "\n" + (home == null ? "" : home) + "\n" + modules + "\n" + release + "\n"
                + (feature == Runtime.version().feature() && release.isEmpty()
                        ? System.getProperty("java.vm.version")
                        : "");
        return new ChildJdk(feature, identity);
    }

    /** The JDK's home: the executable's real path, two levels up ({@code home/bin/java}); null if it has none. */
    private static Path home(String java) {
        try {
            Path bin = Path.of(java).toRealPath().getParent();
            return bin == null || bin.getParent() == null ? null : bin.getParent();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether its JVM has the ahead-of-time cache made in one run ({@code -XX:AOTCacheOutput}, JDK 25). */
    boolean hasAotCache() {
        return feature >= 25;
    }

    /** Whether its JVM can dump an application class-data archive at exit ({@code -XX:ArchiveClassesAtExit}). */
    boolean hasDynamicArchive() {
        return feature >= 13;
    }
}
