package dev.kiln.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.error.ErrorCode;
import org.junit.jupiter.api.Test;

class SmallPartsTest {
    @Test
    void tailKeepsTheLastLines() {
        assertThat(TrainingHandlers.tail("a\nb\nc\n", 2)).isEqualTo("b\nc\n");
        assertThat(TrainingHandlers.tail("a\nb\nc", 2)).isEqualTo("b\nc");
        assertThat(TrainingHandlers.tail("a\nb\nc\n", 9)).isEqualTo("a\nb\nc\n");
        assertThat(TrainingHandlers.tail("a\nb\n", 0)).isEmpty();
        assertThat(TrainingHandlers.tail("", 3)).isEmpty();
    }

    @Test
    void everyErrorCodeHasAStatus() {
        for (ErrorCode c : ErrorCode.values()) {
            assertThat(ErrorResponses.status(c)).as(c.name()).isBetween(400, 599);
        }
        assertThat(ErrorResponses.status(ErrorCode.INVALID_ARGUMENT)).isEqualTo(400);
        assertThat(ErrorResponses.status(ErrorCode.NOT_FOUND)).isEqualTo(404);
        assertThat(ErrorResponses.status(ErrorCode.CONFLICT)).isEqualTo(409);
        assertThat(ErrorResponses.status(ErrorCode.UNAUTHENTICATED)).isEqualTo(401);
        assertThat(ErrorResponses.status(ErrorCode.UNAVAILABLE)).isEqualTo(503);
    }
}
