package dev.kiln.modules.tabular;

import dev.kiln.error.KilnException;

/** Reads table cells that arrive as text (CSV) or as JSON values. */
final class Cells {
    private Cells() {}

    /** The cell as trimmed text, or null when it is missing or empty. */
    static String text(Object raw) {
        if (raw == null) {
            return null;
        }
        String s = raw.toString().trim();
        return s.isEmpty() ? null : s;
    }

    /** Whether the cell is missing, empty or a number. */
    static boolean isNumberOrMissing(Object raw) {
        if (raw instanceof Number) {
            return true;
        }
        String s = text(raw);
        return s == null || parse(s) != null;
    }

    /**
     * The cell as a number, or null when it is missing or empty.
     *
     * @throws KilnException INVALID_ARGUMENT naming the column and where the row is when it is not a number
     */
    static Double number(Object raw, String column, String where) {
        if (raw instanceof Number n) {
            return n.doubleValue();
        }
        String s = text(raw);
        if (s == null) {
            return null;
        }
        Double d = parse(s);
        if (d == null) {
            throw KilnException.invalidArgument(where + ": column '" + column + "' must be a number; got '" + s + "'");
        }
        return d;
    }

    private static Double parse(String s) {
        if (s.equalsIgnoreCase("nan") || s.toLowerCase(java.util.Locale.ROOT).contains("infinity")) {
            return null;
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
