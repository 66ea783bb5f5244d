package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kiln.config.KilnConfig;
import dev.kiln.error.KilnException;
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
}
