package dev.kiln.bench;

import java.util.Arrays;

/** Durations measured in nanoseconds, summarised in milliseconds the way the reference harness does. */
public final class Samples {
    private long[] nanos;
    private int size;

    /** Room for {@code capacity} samples; more are accepted. */
    public Samples(int capacity) {
        this.nanos = new long[Math.max(1, capacity)];
    }

    /** Adds one duration. */
    public void add(long durationNanos) {
        if (size == nanos.length) {
            nanos = Arrays.copyOf(nanos, size * 2);
        }
        nanos[size++] = durationNanos;
    }

    /** Adds every sample of {@code other}. */
    public void addAll(Samples other) {
        for (int i = 0; i < other.size; i++) {
            add(other.nanos[i]);
        }
    }

    /** How many samples were added. */
    public int size() {
        return size;
    }

    /** The median in milliseconds (the mean of the middle two for an even count). */
    public double medianMs() {
        return percentileMs(50);
    }

    /**
     * The percentile in milliseconds, interpolating linearly between the closest ranks (numpy's default).
     *
     * @throws IllegalStateException if there are no samples
     */
    public double percentileMs(double percent) {
        if (size == 0) {
            throw new IllegalStateException("No samples to summarise");
        }
        long[] sorted = Arrays.copyOf(nanos, size);
        Arrays.sort(sorted);
        double rank = percent / 100.0 * (size - 1);
        int low = (int) Math.floor(rank);
        int high = Math.min(size - 1, low + 1);
        double value = sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
        return value / 1_000_000.0;
    }

    /** The median of plain values (used for trial results such as ops per second). */
    public static double median(double... values) {
        double[] sorted = values.clone();
        Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
    }

    /** Rounds a figure for printing, keeping small times readable. */
    public static double round(double value) {
        if (value == 0 || Double.isNaN(value) || Double.isInfinite(value)) {
            return value;
        }
        double scale = Math.pow(10, 4 - (int) Math.floor(Math.log10(Math.abs(value))));
        return Math.round(value * scale) / scale;
    }
}
