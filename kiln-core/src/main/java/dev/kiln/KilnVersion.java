package dev.kiln;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The version of Kiln on the class path, written into every saved model. */
public final class KilnVersion {
    private static final String VERSION = read();

    private KilnVersion() {}

    /** The version string, such as {@code 0.1.0}. */
    public static String get() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = KilnVersion.class.getResourceAsStream("kiln-version.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("kiln.version", "unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
