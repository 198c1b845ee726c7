package dev.tributary.federation.plan;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Converts build-side join keys to the Java type of the probe column, so that a dynamic filter binds
 * values the probe database compares exactly. A key that has no equal value of that type (5.5 for an
 * integer column, a string for a number column) cannot match and is dropped.
 */
final class KeyConversion {

    private KeyConversion() {
    }

    /** The distinct keys converted to {@code type}, without those that cannot match. */
    static List<Object> convert(List<Object> keys, Class<?> type) {
        Set<Object> out = new LinkedHashSet<>();
        for (Object k : keys) {
            Object c = convert(k, type);
            if (c != null) {
                out.add(c);
            }
        }
        return new ArrayList<>(out);
    }

    static @Nullable Object convert(@Nullable Object key, Class<?> type) {
        if (key == null) {
            return null;
        }
        if (type == Object.class || type.isInstance(key) && !(key instanceof BigDecimal)) {
            return key;
        }
        if (key instanceof Number n) {
            BigDecimal d = n instanceof BigDecimal b ? b
                    : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue())
                    : new BigDecimal(n.toString());
            try {
                if (type == Integer.class) {
                    return d.intValueExact();
                } else if (type == Long.class) {
                    return d.longValueExact();
                } else if (type == Short.class) {
                    return d.shortValueExact();
                } else if (type == Byte.class) {
                    return d.byteValueExact();
                } else if (type == BigDecimal.class) {
                    return d;
                } else if (type == Double.class) {
                    return d.doubleValue();
                } else if (type == Float.class) {
                    return d.floatValue();
                }
            } catch (ArithmeticException notExact) {
                return null;
            }
            return null;
        }
        return type.isInstance(key) ? key : null;
    }

    /**
     * A range bound for a probe column of {@code type}: the least ({@code high} false) or greatest build-side
     * number, rounded outward to an integer for an integer column; {@code null} when the column's type has no
     * exact numeric range (floating point, non-numeric).
     */
    static @Nullable Object bound(Object value, Class<?> type, boolean high) {
        if (!(value instanceof Number n)) {
            return null;
        }
        BigDecimal d = n instanceof BigDecimal b ? b
                : n instanceof Double || n instanceof Float ? BigDecimal.valueOf(n.doubleValue())
                : new BigDecimal(n.toString());
        if (type == Integer.class || type == Long.class || type == Short.class || type == Byte.class) {
            BigDecimal r = d.setScale(0, high ? java.math.RoundingMode.CEILING : java.math.RoundingMode.FLOOR);
            BigDecimal min = BigDecimal.valueOf(Long.MIN_VALUE);
            BigDecimal max = BigDecimal.valueOf(Long.MAX_VALUE);
            return r.max(min).min(max).longValueExact();
        }
        return type == BigDecimal.class ? d : null;
    }
}
