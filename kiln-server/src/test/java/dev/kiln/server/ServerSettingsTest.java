package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.config.KilnConfig;
import dev.kiln.error.KilnException;
import dev.kiln.server.http.ClientLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerSettingsTest {
    @Test
    void defaultsAreCaikitsKeysAndValues() {
        ServerSettings s = ServerSettings.from(KilnConfig.defaultsOnly(), Map.of());
        assertThat(s.host()).isEqualTo("127.0.0.1");
        assertThat(s.port()).isEqualTo(8080);
        assertThat(s.authToken()).isNull();
        assertThat(s.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(s.shutdownGrace()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.outputDir()).isEqualTo(Path.of("training_output"));
        assertThat(s.saveWithId()).isTrue();
        assertThat(s.journalPath()).isEqualTo(Path.of("kiln-work", "journal.db"));
        assertThat(s.dataBase()).isEqualTo(Path.of(""));
    }

    @Test
    void theJournalDefaultsIntoTheDefaultTrainersWorkDirectory() {
        KilnConfig c = KilnConfig.ofYaml("model_management: {trainers: {default: {config: {work_dir: /srv/kiln}}}}");
        assertThat(ServerSettings.from(c, Map.of()).journalPath()).isEqualTo(Path.of("/srv/kiln/journal.db"));
    }

    @Test
    void theTokenComesFromConfigOrElseTheEnvironment() {
        assertThat(ServerSettings.from(KilnConfig.defaultsOnly(), Map.of("KILN_AUTH_TOKEN", "e"))
                        .authToken())
                .isEqualTo("e");
        KilnConfig c = KilnConfig.ofYaml("runtime: {http: {auth_token: c}}");
        assertThat(ServerSettings.from(c, Map.of("KILN_AUTH_TOKEN", "e")).authToken())
                .isEqualTo("c");
        KilnConfig blank = KilnConfig.ofYaml("runtime: {http: {auth_token: ''}}");
        assertThat(ServerSettings.from(blank, Map.of()).authToken()).isNull();
    }

    @Test
    void badValuesNameTheKey() {
        assertThatThrownBy(() -> ServerSettings.from(KilnConfig.ofYaml("runtime: {http: {port: 70000}}"), Map.of()))
                .isInstanceOf(KilnException.class)
                .hasMessageContaining("runtime.http.port");
        assertThatThrownBy(
                        () -> ServerSettings.from(KilnConfig.ofYaml("runtime: {http: {max_body_bytes: 0}}"), Map.of()))
                .hasMessageContaining("runtime.http.max_body_bytes");
        assertThatThrownBy(() -> ServerSettings.from(
                        KilnConfig.ofYaml("runtime: {http: {server_shutdown_grace_period_seconds: soon}}"), Map.of()))
                .hasMessageContaining("runtime.http.server_shutdown_grace_period_seconds");
    }

    @Test
    void slowClientLimitsHaveDefaultsAndReadTheirKeys() {
        ClientLimits d =
                ServerSettings.from(KilnConfig.defaultsOnly(), Map.of()).clientLimits();
        assertThat(d.headerTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(d.idleTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(d.minDataRate()).isEqualTo(240);
        assertThat(d.minDataRateGrace()).isEqualTo(Duration.ofSeconds(5));
        KilnConfig c = KilnConfig.ofYaml("runtime: {http: {request_header_timeout_seconds: 2, idle_timeout_seconds: 3,"
                + " min_request_data_rate: 0, min_request_data_rate_grace_seconds: 0}}");
        assertThat(ServerSettings.from(c, Map.of()).clientLimits())
                .isEqualTo(new ClientLimits(Duration.ofSeconds(2), Duration.ofSeconds(3), 0, Duration.ZERO));
    }

    @Test
    void badSlowClientLimitsNameTheKey() {
        for (String key : new String[] {"request_header_timeout_seconds", "idle_timeout_seconds"}) {
            assertThatThrownBy(
                            () -> ServerSettings.from(KilnConfig.ofYaml("runtime: {http: {" + key + ": 0}}"), Map.of()))
                    .isInstanceOf(KilnException.class)
                    .hasMessageContaining("runtime.http." + key);
        }
        assertThatThrownBy(() -> ServerSettings.from(
                        KilnConfig.ofYaml("runtime: {http: {min_request_data_rate: -1}}"), Map.of()))
                .hasMessageContaining("runtime.http.min_request_data_rate");
    }
}
