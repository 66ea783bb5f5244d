package dev.kiln.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationFormatTest {

    @ParameterizedTest
    @CsvSource({
        "1d, PT24H",
        "0.01s, PT0.01S",
        "1d12h3m0.2s, PT36H3M0.2S",
        "0s, PT0S",
        "2h, PT2H",
        "1d10s, PT24H10S",
        "90m, PT1H30M",
        "PT2H, PT2H",
    })
    void parsesCaikitDurations(String text, String expected) {
        assertThat(DurationFormat.parse(text)).isEqualTo(Duration.parse(expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "1x", "d", "1.5d", "-1s", "1s2m", "abc", "P"})
    void rejectsAnythingElse(String text) {
        assertThatThrownBy(() -> DurationFormat.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"1d", "0.01s", "1d12h3m0.2s", "0s", "3h5s"})
    void formatsBackToTheSameText(String text) {
        assertThat(DurationFormat.format(DurationFormat.parse(text))).isEqualTo(text);
    }
}
