package dev.kiln.server.metrics;

/** Writes Prometheus's text exposition format, version 0.0.4. */
final class PrometheusText {
    /** The content type of the format. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(2048);

    /** Starts a metric family with its help text and type. */
    PrometheusText family(String name, String type, String help) {
        out.append("# HELP ")
                .append(name)
                .append(' ')
                .append(help.replace("\\", "\\\\").replace("\n", "\\n"))
                .append('\n');
        out.append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /** One sample; {@code labels} is the text between the braces, possibly empty. */
    PrometheusText sample(String name, String labels, double value) {
        out.append(name);
        String l = labels.startsWith(",") ? labels.substring(1) : labels;
        if (!l.isEmpty()) {
            out.append('{').append(l).append('}');
        }
        out.append(' ').append(number(value)).append('\n');
        return this;
    }

    /** A label pair with its value escaped. */
    static String label(String name, String value) {
        return name + "=\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
    }

    static String number(double v) {
        if (v == Math.rint(v) && !Double.isInfinite(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
