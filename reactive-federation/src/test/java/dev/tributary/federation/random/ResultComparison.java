package dev.tributary.federation.random;

import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Compares federated rows with the oracle's. Values are normalized so that drivers and legitimate differences of
 * representation do not count: every number is compared by value as a decimal rounded to six places (so
 * {@code 5}, {@code 5L} and {@code 5.00} are equal, and AVG's trailing digits do not matter), strings keep their
 * quotes (so {@code '5'} is not {@code 5}), anything else by its {@code toString}.
 */
final class ResultComparison {

    private static final int SHOWN = 5;

    private ResultComparison() {
    }

    static List<List<String>> normalize(List<Row> rows) {
        List<List<String>> out = new ArrayList<>(rows.size());
        for (Row row : rows) {
            List<String> values = new ArrayList<>(row.size());
            for (Object v : row.values()) {
                values.add(value(v));
            }
            out.add(values);
        }
        return out;
    }

    static String value(Object v) {
        if (v == null) {
            return "NULL";
        }
        if (v instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            if (d.scale() > 6) {
                d = d.setScale(6, RoundingMode.HALF_UP);
            }
            return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
        }
        if (v instanceof String || v instanceof Character) {
            return "'" + v + "'";
        }
        return String.valueOf(v);
    }

    /**
     * How {@code actual} differs from {@code expected}, or empty when it does not: in order when {@code ordered},
     * else as multisets. The text shows the row counts and the first few differing rows.
     */
    static Optional<String> difference(List<List<String>> expected, List<List<String>> actual, boolean ordered) {
        if (ordered) {
            if (expected.equals(actual)) {
                return Optional.empty();
            }
            int i = 0;
            while (i < expected.size() && i < actual.size() && expected.get(i).equals(actual.get(i))) {
                i++;
            }
            StringBuilder sb = new StringBuilder("rows differ in order: expected " + expected.size() + " rows, got "
                    + actual.size() + "; first difference at row " + (i + 1) + ":");
            for (int k = i; k < i + SHOWN && (k < expected.size() || k < actual.size()); k++) {
                sb.append("\n  row ").append(k + 1).append(": expected ").append(k < expected.size() ? expected.get(k) : "(none)")
                        .append(", got ").append(k < actual.size() ? actual.get(k) : "(none)");
            }
            return Optional.of(sb.toString());
        }
        Map<List<String>, Integer> counts = new HashMap<>();
        expected.forEach(row -> counts.merge(row, 1, Integer::sum));
        actual.forEach(row -> counts.merge(row, -1, Integer::sum));
        List<List<String>> missing = new ArrayList<>();
        List<List<String>> extra = new ArrayList<>();
        counts.forEach((row, n) -> {
            for (int k = 0; k < Math.abs(n); k++) {
                (n > 0 ? missing : extra).add(row);
            }
        });
        if (missing.isEmpty() && extra.isEmpty()) {
            return Optional.empty();
        }
        missing.sort(Comparator.comparing(Object::toString));
        extra.sort(Comparator.comparing(Object::toString));
        return Optional.of("rows differ as a multiset: expected " + expected.size() + " rows, got " + actual.size() + "; "
                + missing.size() + " expected rows missing, first: " + missing.subList(0, Math.min(SHOWN, missing.size()))
                + "; " + extra.size() + " unexpected rows, first: " + extra.subList(0, Math.min(SHOWN, extra.size())));
    }
}
