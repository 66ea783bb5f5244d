package dev.kiln.cli.console;

import dev.kiln.cli.client.TrainingSnapshot;
import dev.kiln.job.Progress;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;

/**
 * A one-line live progress bar for a terminal: {@code TextClassifier [=======>     ] epoch 3/5  loss 0.0123
 * val_accuracy 0.9710  ETA 0:04}. Each render rewrites the line with a carriage return; {@link #clear()} erases it.
 *
 * <p>Hand-written rather than a progress-bar library (such as {@code me.tongfei:progressbar}): those own the line
 * from a refresh thread of their own and count local work, while this bar is redrawn by the caller from the server's
 * snapshots, shows the module's named metrics, and takes its ETA from the progress reports' own timestamps. What is
 * drawn is one line of text, which the tests check character for character.
 */
public final class ProgressBar {
    private static final int WIDTH = 24;

    private final PrintWriter out;
    private int lastLength;
    private Progress first;

    public ProgressBar(PrintWriter out) {
        this.out = out;
    }

    /** Draws the training's state at {@code now}. */
    public void render(TrainingSnapshot view, Instant now) {
        if (first == null && view.progress() != null) {
            first = view.progress();
        }
        String line = line(view, first, now);
        StringBuilder b = new StringBuilder("\r").append(line);
        for (int i = line.length(); i < lastLength; i++) {
            b.append(' ');
        }
        lastLength = line.length();
        out.print(b);
        out.flush();
    }

    /** Erases the bar so the next output starts on a clean line. */
    public void clear() {
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
            out.flush();
            lastLength = 0;
        }
    }

    /**
     * The bar's text for a training at {@code now}.
     *
     * @param first the first progress seen, or null: the pace is measured from it, leaving out start-up time
     */
    static String line(TrainingSnapshot view, Progress first, Instant now) {
        Progress p = view.progress();
        String elapsed = Formats.clock(view.duration(now));
        if (p == null || p.total() <= 0) {
            String step = p == null ? "" : "  step " + p.step();
            return view.module() + " " + spinner(now) + " "
                    + view.state().name().toLowerCase(java.util.Locale.ROOT) + step + "  " + elapsed;
        }
        double fraction = p.fraction();
        int filled = (int) Math.round(fraction * WIDTH);
        StringBuilder bar = new StringBuilder("[");
        for (int i = 0; i < WIDTH; i++) {
            bar.append(i < filled ? '=' : (i == filled ? '>' : ' '));
        }
        bar.append(']');
        StringBuilder b = new StringBuilder(view.module())
                .append(' ')
                .append(bar)
                .append(" epoch ")
                .append(p.step())
                .append('/')
                .append(p.total());
        if (!p.metrics().isEmpty()) {
            b.append("  ").append(Formats.metrics(p.metrics()));
        }
        if (p.step() >= p.total()) {
            b.append("  saving ").append(elapsed);
        } else {
            b.append("  ")
                    .append(eta(view, first, p, now)
                            .map(d -> "ETA " + Formats.clock(d))
                            .orElse("elapsed " + elapsed));
        }
        return b.toString();
    }

    /**
     * The time left, from the mean time per step between the first progress seen and the latest (or, with only one
     * report, since the start).
     */
    static java.util.Optional<Duration> eta(TrainingSnapshot view, Progress first, Progress p, Instant now) {
        Instant from = view.started() != null ? view.started() : view.submitted();
        long steps = p.step();
        if (first != null && first.step() < p.step()) {
            from = first.timestamp();
            steps = p.step() - first.step();
        }
        if (from == null || steps <= 0 || p.step() >= p.total()) {
            return java.util.Optional.empty();
        }
        Duration perStep = Duration.between(from, p.timestamp()).dividedBy(steps);
        Duration left = perStep.multipliedBy(p.total() - p.step()).minus(Duration.between(p.timestamp(), now));
        return java.util.Optional.of(left.isNegative() ? Duration.ZERO : left);
    }

    private static char spinner(Instant now) {
        return "|/-\\".charAt((int) ((now.toEpochMilli() / 250) % 4));
    }
}
