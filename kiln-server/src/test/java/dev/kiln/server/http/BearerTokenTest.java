package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.server.testing.Http;
import dev.kiln.server.testing.TestServer;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With a token configured, every route but /health needs it. */
class BearerTokenTest {
    private static final String[] ROUTES = {
        "/management/trainings",
        "/management/trainings?training_id=x",
        "/management/trainings/x",
        "/management/trainings/x/events",
        "/management/events",
        "/management/summary",
        "/info/version",
        "/info/modules",
        "/openapi.json",
        "/metrics",
        "/no/such/route"
    };

    @TempDir
    Path tmp;

    @Test
    void everyRouteButHealthNeedsTheConfiguredToken() {
        try (TestServer server = TestServer.start(tmp, "runtime: {http: {auth_token: s3cret}}")) {
            Http anonymous = server.http();
            Http wrong = anonymous.withToken("guess");
            Http right = anonymous.withToken("s3cret");

            assertThat(anonymous.get("/health").status()).isEqualTo(200);
            for (String route : ROUTES) {
                Http.Reply r = anonymous.get(route);
                assertThat(r.status()).as(route).isEqualTo(401);
                assertThat(r.json().get("code").asInt()).isEqualTo(401);
                assertThat(r.json().get("details").asText()).contains("bearer token");
                assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
                assertThat(wrong.get(route).status()).as(route).isEqualTo(401);
            }
            assertThat(anonymous
                            .post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"m\"}")
                            .status())
                    .isEqualTo(401);
            assertThat(anonymous.delete("/management/trainings?training_id=x").status())
                    .isEqualTo(401);
            assertThat(anonymous.get("/management/trainings").body()).doesNotContain("trainings\"");

            assertThat(right.get("/management/trainings").status()).isEqualTo(200);
            assertThat(right.post(TestServer.SAMPLE_ROUTE, "{\"model_name\": \"m\"}")
                            .status())
                    .isEqualTo(200);
            assertThat(anonymous.get("/management/summary?access_token=s3cret").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void theTokenCanComeFromTheEnvironment() {
        try (TestServer server = TestServer.start(tmp, "", Map.of("KILN_AUTH_TOKEN", "from-env"))) {
            assertThat(server.http().get("/info/version").status()).isEqualTo(401);
            assertThat(server.http().withToken("from-env").get("/info/version").status())
                    .isEqualTo(200);
        }
    }

    @Test
    void withoutATokenEveryRouteIsOpen() {
        try (TestServer server = TestServer.start(tmp, "")) {
            assertThat(server.http().get("/info/version").status()).isEqualTo(200);
        }
    }
}
