package dev.kiln.logging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CapturedLogTest {
    @Test
    void keepsLinesInOrder() {
        CapturedLog log = new CapturedLog(100);
        log.append("one");
        log.append("two");
        assertThat(log.text()).isEqualTo("one\ntwo\n");
    }

    @Test
    void keepsTheFirstLimitCharactersThenMarksAndCountsTheRest() {
        CapturedLog log = new CapturedLog(10);
        log.append("12345678"); // 9 with its line break
        log.append("abcdef"); // 1 kept, 6 dropped
        log.append("ghi"); // 4 dropped

        assertThat(log.text())
                .isEqualTo("12345678\na\n[kiln: output truncated here: log_capture_bytes is 10;"
                        + " later output is not kept]\n[kiln: 10 more characters of output were not kept]\n");
    }

    @Test
    void aZeroLimitKeepsNothingButSaysSo() {
        CapturedLog log = new CapturedLog(0);
        log.append("x");
        assertThat(log.text())
                .startsWith("\n[kiln: output truncated here")
                .endsWith("2 more characters of output were not kept]\n");
    }

    @Test
    void refusesANegativeLimit() {
        assertThatThrownBy(() -> new CapturedLog(-1)).hasMessageContaining("-1");
    }
}
