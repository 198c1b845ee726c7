package dev.tributary.core;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.jspecify.annotations.Nullable;

/** Conversions of driver values to the types a caller asks for. */
final class Values {

    private Values() {
    }

    @SuppressWarnings("unchecked")
    static <T> @Nullable T convert(@Nullable Object value, Class<T> type, String column) {
        if (value == null) {
            if (type.isPrimitive()) {
                throw new IllegalArgumentException("Column '" + column + "' is NULL and cannot be read as " + type);
            }
            return null;
        }
        Class<?> boxed = box(type);
        if (boxed.isInstance(value)) {
            return (T) value;
        }
        if (value instanceof Number n) {
            Object converted = convertNumber(n, boxed);
            if (converted != null) {
                return (T) converted;
            }
        }
        if (boxed == String.class) {
            return (T) value.toString();
        }
        if (boxed == Boolean.class && value instanceof Number n && (n.intValue() == 0 || n.intValue() == 1)) {
            return (T) Boolean.valueOf(n.intValue() == 1);
        }
        throw new IllegalArgumentException("Column '" + column + "' holds " + value.getClass().getName()
                + " (" + value + "), which cannot be read as " + type.getName());
    }

    private static @Nullable Object convertNumber(Number n, Class<?> target) {
        try {
            BigDecimal d = n instanceof BigDecimal b ? b : new BigDecimal(n.toString());
            if (target == Long.class) {
                return d.longValueExact();
            }
            if (target == Integer.class) {
                return d.intValueExact();
            }
            if (target == Short.class) {
                return d.shortValueExact();
            }
            if (target == Byte.class) {
                return d.byteValueExact();
            }
            if (target == BigDecimal.class) {
                return d;
            }
            if (target == BigInteger.class) {
                return d.toBigIntegerExact();
            }
            if (target == Double.class) {
                return n.doubleValue();
            }
            if (target == Float.class) {
                return n.floatValue();
            }
        } catch (ArithmeticException | NumberFormatException e) {
            return null;
        }
        return null;
    }

    static Class<?> box(Class<?> type) {
        if (!type.isPrimitive()) {
            return type;
        }
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        if (type == boolean.class) {
            return Boolean.class;
        }
        if (type == double.class) {
            return Double.class;
        }
        if (type == float.class) {
            return Float.class;
        }
        if (type == short.class) {
            return Short.class;
        }
        if (type == byte.class) {
            return Byte.class;
        }
        return Character.class;
    }
}
