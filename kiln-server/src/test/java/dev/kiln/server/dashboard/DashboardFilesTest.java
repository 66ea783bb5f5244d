package dev.kiln.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dashboard's files are served from the jar, and stay public while the API needs a token. */
class DashboardFilesTest {
    @TempDir
    Path dir;

    @Test
    void servesThePageItsScriptsAndTheChartingLibrary() {
        try (TestServer server = TestServer.start(dir, "")) {
            Http http = server.http();
            Http.Reply page = http.get("/");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).startsWith("text/html");
            assertThat(page.body()).contains("<title>Kiln</title>", "/ui/app.js");
            assertThat(page.header("Content-Security-Policy"))
                    .isEqualTo(Dashboard.CONTENT_SECURITY_POLICY)
                    .contains("default-src 'self'");
            Http.Reply script = http.get("/ui/app.js");
            assertThat(script.status()).isEqualTo(200);
            assertThat(script.header("Content-Type")).contains("javascript");
            Http.Reply uplot = http.get(Dashboard.UPLOT_PATH + "/dist/uPlot.esm.js");
            assertThat(uplot.status()).isEqualTo(200);
            assertThat(uplot.body()).contains("export");
            assertThat(http.get("/management/trainings").status()).isEqualTo(200);
        }
    }

    @Test
    void theFilesArePublicButTheApiNeedsTheToken() {
        try (TestServer server = TestServer.start(dir, "", Map.of("KILN_AUTH_TOKEN", "s3cret"))) {
            Http http = server.http();
            assertThat(http.get("/").status()).isEqualTo(200);
            assertThat(http.get("/ui/app.js").status()).isEqualTo(200);
            assertThat(http.get(Dashboard.UPLOT_PATH + "/dist/uPlot.esm.js").status())
                    .isEqualTo(200);
            assertThat(http.get("/management/trainings").status()).isEqualTo(401);
            assertThat(http.get("/ui/../management/trainings").status()).isEqualTo(401);
            assertThat(http.get("/ui/%2e%2e/management/trainings").status()).isNotEqualTo(200);
            assertThat(http.get("/ui/..%2fmanagement/trainings").status()).isNotEqualTo(200);
            assertThat(http.get("/ui/%2e%2e/%2e%2e/dev/kiln/server/KilnServer.class")
                            .status())
                    .isNotEqualTo(200);
            assertThat(http.get("/ui/").status()).as("no directory listing").isNotEqualTo(200);
            assertThat(http.get("/info/modules").status()).isEqualTo(401);
        }
    }
}
