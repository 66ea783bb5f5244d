package dev.kiln.server.metrics;

import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;

/** A Prometheus histogram: counts per upper bound, a sum and a count; safe to observe from any thread. */
final class Histogram {
    private final double[] bounds;
    private final LongAdder[] buckets;
    private final DoubleAdder sum = new DoubleAdder();
    private final LongAdder count = new LongAdder();

    Histogram(double[] bounds) {
        this.bounds = bounds.clone();
        this.buckets = new LongAdder[bounds.length];
        for (int i = 0; i < bounds.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    void observe(double value) {
        for (int i = 0; i < bounds.length; i++) {
            if (value <= bounds[i]) {
                buckets[i].increment();
                break;
            }
        }
        sum.add(value);
        count.increment();
    }

    /** Writes the series {@code name_bucket}, {@code name_sum} and {@code name_count} with the given labels. */
    void write(PrometheusText out, String name, String labels) {
        long cumulative = 0;
        for (int i = 0; i < bounds.length; i++) {
            cumulative += buckets[i].sum();
            out.sample(name + "_bucket", labels + ",le=\"" + PrometheusText.number(bounds[i]) + "\"", cumulative);
        }
        long total = count.sum();
        out.sample(name + "_bucket", labels + ",le=\"+Inf\"", total);
        out.sample(name + "_sum", labels, sum.sum());
        out.sample(name + "_count", labels, total);
    }
}
