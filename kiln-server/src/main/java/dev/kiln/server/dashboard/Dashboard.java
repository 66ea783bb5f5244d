package dev.kiln.server.dashboard;

import io.javalin.config.JavalinConfig;
import io.javalin.http.staticfiles.Location;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Serves the dashboard: {@code index.html} at {@code /}, its own assets under {@code /ui/} and the uPlot WebJar's
 * files under {@code /ui/vendor/uplot/} (such as {@code dist/uPlot.esm.js}). The assets are public (they hold no data), so a server with a token can
 * still send the page that asks for it.
 */
public final class Dashboard {
    /** The class-path directory of the page and its assets. */
    static final String RESOURCES = "/dashboard";
    /** Where the charting library is served, whatever its version. */
    static final String UPLOT_PATH = "/ui/vendor/uplot";

    private static final String UPLOT_POM = "/META-INF/maven/org.webjars.npm/uplot/pom.properties";
    /**
     * The page may load and fetch only from this server: no CDN, no web fonts, no frames, no plugins. Styles are
     * set through the DOM, never by inline markup.
     */
    static final String CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; object-src 'none';"
            + " base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Cache-Control",
            "no-cache",
            "Content-Security-Policy",
            CONTENT_SECURITY_POLICY,
            "X-Content-Type-Options",
            "nosniff",
            "Referrer-Policy",
            "no-referrer");

    private Dashboard() {}

    /**
     * Adds the dashboard's static files to a Javalin configuration.
     *
     * @throws IllegalStateException if the uPlot WebJar is missing from the class path
     */
    public static void install(JavalinConfig cfg) {
        String uplot = "/META-INF/resources/webjars/uplot/" + uplotVersion();
        cfg.staticFiles.add(files -> {
            files.hostedPath = UPLOT_PATH;
            files.directory = uplot;
            files.location = Location.CLASSPATH;
            files.headers = Map.of("Cache-Control", "max-age=86400", "X-Content-Type-Options", "nosniff");
        });
        cfg.staticFiles.add(files -> {
            files.hostedPath = "/";
            files.directory = RESOURCES;
            files.location = Location.CLASSPATH;
            files.headers = PAGE_HEADERS;
        });
    }

    /** Whether {@code path} is one of the dashboard's public files: the page itself or an asset under {@code /ui/}. */
    public static boolean isPublic(String path) {
        return path.equals("/") || path.equals("/index.html") || (path.startsWith("/ui/") && !path.contains(".."));
    }

    /** The version of the uPlot WebJar on the class path, read from its Maven descriptor. */
    static String uplotVersion() {
        try (InputStream in = Dashboard.class.getResourceAsStream(UPLOT_POM)) {
            if (in == null) {
                throw new IllegalStateException("The dashboard's charting library (org.webjars.npm:uplot) is missing"
                        + " from the class path: " + UPLOT_POM + " not found");
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version");
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + UPLOT_POM, e);
        }
    }
}
