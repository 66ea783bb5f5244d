package dev.kiln.cli.console;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Plain-text formatting shared by the commands. */
public final class Formats {
    private Formats() {}

    /** A duration as {@code 4.2s}, {@code 3m05s} or {@code 1h02m}. */
    public static String duration(Duration d) {
        long seconds = d.toSeconds();
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
        } else if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** A clock-style duration for estimates: {@code 0:42}, {@code 12:05}, {@code 1:02:03}. */
    public static String clock(Duration d) {
        long s = Math.max(0, d.toSeconds());
        if (s >= 3600) {
            return String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, (s % 3600) / 60, s % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** A metric value with four significant decimals. */
    public static String number(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return String.valueOf(value);
        }
        double abs = Math.abs(value);
        if (abs != 0 && (abs < 1e-3 || abs >= 1e6)) {
            return String.format(Locale.ROOT, "%.3e", value);
        }
        return String.format(Locale.ROOT, "%.4f", value);
    }

    /** Metrics as {@code loss 0.1200  val_accuracy 0.9710}, in {@link #ordered} order. */
    public static String metrics(Map<String, Double> metrics) {
        return ordered(metrics).entrySet().stream()
                .map(e -> e.getKey() + " " + number(e.getValue()))
                .collect(Collectors.joining("  "));
    }

    /** Metrics in a stable order for display: the loss first, then by name. */
    public static Map<String, Double> ordered(Map<String, Double> metrics) {
        Map<String, Double> sorted = new java.util.LinkedHashMap<>();
        if (metrics.containsKey("loss")) {
            sorted.put("loss", metrics.get("loss"));
        }
        new java.util.TreeMap<>(metrics).forEach(sorted::putIfAbsent);
        return sorted;
    }

    /** The text cut to {@code max} characters with an ellipsis. */
    public static String shorten(String text, int max) {
        String flat = text.replaceAll("\\s+", " ").trim();
        return flat.length() <= max ? flat : flat.substring(0, Math.max(0, max - 3)) + "...";
    }
}
