package dev.kiln.server.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamReaderTest {
    @Test
    void dispatchesEventsAtBlankLinesIgnoringCommentsAndJoiningDataLines() {
        List<String> got = new ArrayList<>();
        EventStreamReader r = new EventStreamReader((name, data) -> got.add(name + "=" + data));
        for (String line : new String[] {
            ": kiln", "", "event: state", "data: {\"a\":1}", "", "data:x", "data: y", "", "event: lonely", ""
        }) {
            r.line(line);
        }
        assertThat(got).containsExactly("state={\"a\":1}", "message=x\ny");
    }
}
