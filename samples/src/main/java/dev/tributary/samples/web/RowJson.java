package dev.tributary.samples.web;

import dev.tributary.core.Row;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A row as a JSON object: columns in result order, names in lower case (H2 reports unquoted names in upper
 * case, PostgreSQL in lower case; the JSON is the same on every profile). Values keep their types: numbers
 * stay numbers, dates and timestamps become ISO-8601 strings, SQL NULL becomes {@code null}.
 */
final class RowJson {

    private RowJson() {
    }

    static Map<String, @Nullable Object> toMap(Row row) {
        Map<String, @Nullable Object> json = new LinkedHashMap<>(row.size() * 2);
        for (int i = 0; i < row.size(); i++) {
            json.putIfAbsent(row.columns().name(i).toLowerCase(Locale.ROOT), row.get(i));
        }
        return json;
    }
}
