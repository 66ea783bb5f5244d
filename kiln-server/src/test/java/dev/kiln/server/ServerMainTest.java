package dev.kiln.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerMainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) throws InterruptedException {
        return ServerMain.run(args, new PrintStream(out, true), new PrintStream(err, true), Map.of());
    }

    @Test
    void helpPrintsUsage() throws Exception {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("Usage: kiln serve");
    }

    @Test
    void badArgumentsAndConfigurationExitWithAUsageError() throws Exception {
        assertThat(run("--bogus")).isEqualTo(ServerMain.USAGE_ERROR);
        assertThat(err.toString()).contains("Unknown argument '--bogus'");
        assertThat(run("--port", "http")).isEqualTo(ServerMain.USAGE_ERROR);
        assertThat(err.toString()).contains("--port must be a whole number");
        assertThat(run("--port")).isEqualTo(ServerMain.USAGE_ERROR);
        assertThat(run("--config", "/no/such/kiln.yml")).isEqualTo(ServerMain.USAGE_ERROR);
        assertThat(err.toString()).contains("Config file not found: /no/such/kiln.yml");
    }
}
