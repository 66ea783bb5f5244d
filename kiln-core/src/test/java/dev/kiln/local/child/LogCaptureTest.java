package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCaptureTest {
    @TempDir
    Path tmp;

    private static void line(LogCapture log, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        log.line(bytes, 0, bytes.length);
    }

    @Test
    void outputBeforeAttachingIsWrittenToTheFileFirst() throws Exception {
        LogCapture log = new LogCapture(1000);
        line(log, "early\n");
        assertThat(log.read()).isEqualTo("early\n");
        Path file = tmp.resolve("output.log");
        log.attach(file);
        line(log, "late\n");
        assertThat(log.read()).isEqualTo("early\nlate\n");
        log.close();
        assertThat(Files.readString(file)).isEqualTo("early\nlate\n");
    }

    @Test
    void beyondTheLimitOutputIsCountedNotKept() throws Exception {
        LogCapture log = new LogCapture(10);
        log.attach(tmp.resolve("output.log"));
        line(log, "0123456789abc\n");
        line(log, "more\n");
        assertThat(log.read())
                .startsWith("0123456789\n[kiln: output truncated here: log_capture_bytes is 10")
                .doesNotContain("abc")
                .doesNotContain("more");
        assertThat(log.dropped()).isEqualTo(9);
        log.close();
        assertThat(log.read()).endsWith("[kiln: 9 more bytes of output were not kept]\n");
    }

    @Test
    void theJvmsOutOfMemoryExitIsNoticedEvenWhenNotKept() {
        LogCapture log = new LogCapture(0);
        assertThat(log.sawOutOfMemory()).isFalse();
        line(log, "Terminating due to java.lang.OutOfMemoryError: Java heap space\n");
        assertThat(log.sawOutOfMemory()).isTrue();
    }
}
