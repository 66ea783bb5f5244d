package dev.kiln.local.child;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kiln.worker.WorkerProtocol;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutputSplitterTest {
    private final List<String> frames = new ArrayList<>();
    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final List<String> corrupt = new ArrayList<>();
    private final OutputSplitter splitter = new OutputSplitter(new OutputSplitter.Receiver() {
        @Override
        public void frame(String json) {
            frames.add(json);
        }

        @Override
        public void output(byte[] bytes, int offset, int length) {
            output.write(bytes, offset, length);
        }

        @Override
        public void corrupt(String reason) {
            corrupt.add(reason);
        }
    });

    private void feed(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        splitter.feed(bytes, 0, bytes.length);
    }

    private String output() {
        return output.toString(StandardCharsets.UTF_8);
    }

    private static final String P = WorkerProtocol.FRAME_PREFIX;

    @Test
    void framesAreSeparatedFromOutput() {
        feed("hello\n" + P + "{\"type\":\"heartbeat\"}\nbye\n");
        assertThat(frames).containsExactly("{\"type\":\"heartbeat\"}");
        assertThat(output()).isEqualTo("hello\nbye\n");
    }

    @Test
    void linesMayArriveInPiecesAndFramesEndWithCarriageReturns() {
        feed("hel");
        feed("lo\n" + P.substring(0, 2));
        feed(P.substring(2) + "{\"a\":");
        feed("1}\r\n");
        assertThat(frames).containsExactly("{\"a\":1}");
        assertThat(output()).isEqualTo("hello\n");
    }

    @Test
    void aFrameAfterUnfinishedNativeOutputIsStillAFrame() {
        feed("partial" + P + "{}\n");
        assertThat(frames).containsExactly("{}");
        assertThat(output()).isEqualTo("partial\n");
    }

    @Test
    void aLastLineWithoutBreakIsOutput() {
        feed("no newline");
        assertThat(output()).isEmpty();
        splitter.end();
        assertThat(output()).isEqualTo("no newline");
    }

    @Test
    void aLongLineWithoutFrameIsPassedOnInPieces() {
        feed("x".repeat(200_000));
        assertThat(output().length()).isEqualTo(200_000);
        feed("y\n");
        assertThat(output()).endsWith("y\n");
        assertThat(frames).isEmpty();
        assertThat(corrupt).isEmpty();
    }

    @Test
    void utf8SurvivesSplitting() {
        byte[] bytes = (P + "{\"m\":\"héllo ✓\"}\n").getBytes(StandardCharsets.UTF_8);
        for (byte b : bytes) {
            splitter.feed(new byte[] {b}, 0, 1);
        }
        assertThat(frames).containsExactly("{\"m\":\"héllo ✓\"}");
    }
}
