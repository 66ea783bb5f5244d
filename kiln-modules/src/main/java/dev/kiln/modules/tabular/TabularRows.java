package dev.kiln.modules.tabular;

import java.util.Map;

/** The input type of tabular models: one row, column name to value. */
final class TabularRows {
    private TabularRows() {}

    /** {@code Map<String, Object>} as a class token. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    static Class<Map<String, Object>> type() {
        return (Class) Map.class;
    }
}
