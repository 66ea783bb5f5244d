package dev.kiln.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Parses caikit's duration format, {@code XdXhXmXs} with fractional seconds ({@code 1d}, {@code 0.01s}, {@code 1d12h3m0.2s}). */
public final class DurationFormat {
    private static final Pattern CAIKIT =
            Pattern.compile("^(?:(\\d+)d)?(?:(\\d+)h)?(?:(\\d+)m)?(?:(\\d+(?:\\.\\d*)?|\\.\\d+)s)?$");

    private DurationFormat() {}

    /**
     * Parses a duration; ISO-8601 ({@code PT2H}) is accepted too.
     *
     * @throws IllegalArgumentException if the text is neither format
     */
    public static Duration parse(String text) {
        String s = text == null ? "" : text.trim();
        if (s.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        if (s.startsWith("P") || s.startsWith("p")) {
            try {
                return Duration.parse(s);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("'" + text + "' is not a duration like 1d12h3m0.2s or PT2H");
            }
        }
        Matcher m = CAIKIT.matcher(s);
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + text + "' is not a duration like 1d12h3m0.2s");
        }
        Duration d = Duration.ZERO;
        if (m.group(1) != null) {
            d = d.plusDays(Long.parseLong(m.group(1)));
        }
        if (m.group(2) != null) {
            d = d.plusHours(Long.parseLong(m.group(2)));
        }
        if (m.group(3) != null) {
            d = d.plusMinutes(Long.parseLong(m.group(3)));
        }
        if (m.group(4) != null) {
            BigDecimal nanos = new BigDecimal(m.group(4)).movePointRight(9);
            d = d.plusNanos(nanos.longValue());
        }
        return d;
    }

    /** Formats a duration back into caikit's format, e.g. {@code 1d12h3m0.2s}. */
    public static String format(Duration d) {
        if (d.isZero()) {
            return "0s";
        }
        StringBuilder b = new StringBuilder();
        long days = d.toDays();
        if (days > 0) {
            b.append(days).append('d');
        }
        if (d.toHoursPart() > 0) {
            b.append(d.toHoursPart()).append('h');
        }
        if (d.toMinutesPart() > 0) {
            b.append(d.toMinutesPart()).append('m');
        }
        if (d.toSecondsPart() > 0 || d.toNanosPart() > 0) {
            BigDecimal secs = BigDecimal.valueOf(d.toSecondsPart()).add(BigDecimal.valueOf(d.toNanosPart(), 9));
            b.append(secs.stripTrailingZeros().toPlainString()).append('s');
        }
        return b.toString();
    }
}
