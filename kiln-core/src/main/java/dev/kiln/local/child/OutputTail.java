package dev.kiln.local.child;

/** The end of a child's output, to put beside an error that has no stack trace of its own. */
final class OutputTail {
    private static final int MAX_CHARS = 4000;
    private static final int MAX_LINES = 40;

    private OutputTail() {}

    /** The last lines of {@code output}, at most forty and 4000 characters; empty for no output. */
    static String of(String output) {
        String text = output.strip();
        if (text.length() > MAX_CHARS) {
            text = text.substring(text.length() - MAX_CHARS);
            int nl = text.indexOf('\n');
            text = nl >= 0 ? text.substring(nl + 1) : text;
        }
        int lines = 0;
        for (int i = text.length() - 1; i >= 0; i--) {
            if (text.charAt(i) == '\n' && ++lines >= MAX_LINES) {
                return text.substring(i + 1);
            }
        }
        return text;
    }
}
