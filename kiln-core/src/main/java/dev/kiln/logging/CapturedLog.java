package dev.kiln.logging;

/**
 * A training's log kept in memory: the first {@code limit} characters, then a visible truncation marker, and a count
 * of what was not kept. Thread-safe.
 */
public final class CapturedLog {
    private final long limit;
    private final StringBuilder kept = new StringBuilder(); // guarded by this
    private long dropped; // guarded by this

    /** @param limit the most characters kept ({@code log_capture_bytes}) */
    public CapturedLog(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative; got " + limit);
        }
        this.limit = limit;
    }

    /** Adds one line; a line break is added after it. */
    public synchronized void append(String line) {
        String withBreak = line + "\n";
        long room = limit - kept.length();
        int keep = (int) Math.max(0, Math.min(room, withBreak.length()));
        kept.append(withBreak, 0, keep);
        if (keep < withBreak.length()) {
            if (dropped == 0) {
                kept.append("\n[kiln: output truncated here: log_capture_bytes is ")
                        .append(limit)
                        .append("; later output is not kept]\n");
            }
            dropped += withBreak.length() - keep;
        }
    }

    /** What was kept, with a note of how much was not. */
    public synchronized String text() {
        return dropped == 0
                ? kept.toString()
                : kept + "[kiln: " + dropped + " more characters of output were not kept]\n";
    }
}
