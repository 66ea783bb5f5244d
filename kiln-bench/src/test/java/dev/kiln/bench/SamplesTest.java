package dev.kiln.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class SamplesTest {
    @Test
    void medianAndPercentilesInterpolateBetweenRanksLikeNumpy() {
        Samples samples = new Samples(2);
        for (long ms : new long[] {4, 1, 3, 2}) {
            samples.add(ms * 1_000_000);
        }
        assertThat(samples.size()).isEqualTo(4);
        assertThat(samples.medianMs()).isEqualTo(2.5);
        assertThat(samples.percentileMs(90)).isCloseTo(3.7, within(1e-9));
        assertThat(samples.percentileMs(0)).isEqualTo(1.0);
        assertThat(samples.percentileMs(100)).isEqualTo(4.0);
    }

    @Test
    void medianOfValuesTakesTheMiddleOrTheMeanOfTheMiddleTwo() {
        assertThat(Samples.median(3, 1, 2)).isEqualTo(2.0);
        assertThat(Samples.median(4, 1, 3, 2)).isEqualTo(2.5);
    }

    @Test
    void roundsToFiveSignificantDigits() {
        assertThat(Samples.round(0.000123456)).isEqualTo(0.00012346);
        assertThat(Samples.round(123456.7)).isEqualTo(123460.0);
        assertThat(Samples.round(0)).isZero();
    }

    @Test
    void refusesToSummariseNothing() {
        assertThatThrownBy(() -> new Samples(1).medianMs())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("No samples to summarise");
    }
}
