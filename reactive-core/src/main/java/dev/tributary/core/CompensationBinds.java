package dev.tributary.core;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Bind values of a compensation written to the decision log as text and read back: each value is a type letter,
 * the length of its text, a colon and the text ({@code S5:hello}, {@code L2:42}, {@code N0:}).
 */
final class CompensationBinds {

    private CompensationBinds() {
    }

    /**
     * The binds as text.
     *
     * @throws IllegalArgumentException for a value of a type that cannot be written
     */
    static String encode(Object[] binds) {
        StringBuilder out = new StringBuilder();
        for (Object v : binds) {
            char type;
            if (v == null) {
                type = 'N';
            } else if (v instanceof String) {
                type = 'S';
            } else if (v instanceof Integer) {
                type = 'I';
            } else if (v instanceof Long) {
                type = 'L';
            } else if (v instanceof Short) {
                type = 'H';
            } else if (v instanceof BigDecimal) {
                type = 'D';
            } else if (v instanceof Double) {
                type = 'F';
            } else if (v instanceof Boolean) {
                type = 'B';
            } else if (v instanceof LocalDate) {
                type = 'd';
            } else if (v instanceof LocalDateTime) {
                type = 't';
            } else if (v instanceof UUID) {
                type = 'U';
            } else {
                throw new IllegalArgumentException("A compensation bind of type " + v.getClass().getName() + " cannot be"
                        + " written to the decision log; pass null, String, Integer, Long, Short, BigDecimal, Double,"
                        + " Boolean, LocalDate, LocalDateTime or UUID");
            }
            String text = v == null ? "" : v.toString();
            out.append(type).append(text.length()).append(':').append(text);
        }
        return out.toString();
    }

    /** The binds {@link #encode} wrote. */
    static Object[] decode(String text) {
        List<Object> values = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char type = text.charAt(i);
            int colon = text.indexOf(':', i);
            int length = Integer.parseInt(text.substring(i + 1, colon));
            String v = text.substring(colon + 1, colon + 1 + length);
            i = colon + 1 + length;
            values.add(switch (type) {
                case 'N' -> null;
                case 'S' -> v;
                case 'I' -> Integer.valueOf(v);
                case 'L' -> Long.valueOf(v);
                case 'H' -> Short.valueOf(v);
                case 'D' -> new BigDecimal(v);
                case 'F' -> Double.valueOf(v);
                case 'B' -> Boolean.valueOf(v);
                case 'd' -> LocalDate.parse(v);
                case 't' -> LocalDateTime.parse(v);
                case 'U' -> UUID.fromString(v);
                default -> throw new IllegalArgumentException("unknown bind type '" + type + "' in the decision log");
            });
        }
        return values.toArray();
    }
}
