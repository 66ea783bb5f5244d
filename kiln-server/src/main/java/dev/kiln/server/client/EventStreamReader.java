package dev.kiln.server.client;

import java.util.function.BiConsumer;

/** Parses server-sent event lines: {@code event:} and {@code data:} fields, dispatched at each blank line. */
final class EventStreamReader {
    private final BiConsumer<String, String> onEvent;
    private String event;
    private StringBuilder data;

    EventStreamReader(BiConsumer<String, String> onEvent) {
        this.onEvent = onEvent;
    }

    /** Takes one line of the stream (without its line end). */
    void line(String line) {
        if (line.isEmpty()) {
            if (data != null) {
                onEvent.accept(event == null ? "message" : event, data.toString());
            }
            event = null;
            data = null;
        } else if (line.startsWith(":")) {
            return;
        } else if (line.startsWith("event:")) {
            event = value(line, 6);
        } else if (line.startsWith("data:")) {
            if (data == null) {
                data = new StringBuilder();
            } else {
                data.append('\n');
            }
            data.append(value(line, 5));
        }
    }

    private static String value(String line, int from) {
        return line.length() > from && line.charAt(from) == ' ' ? line.substring(from + 1) : line.substring(from);
    }
}
