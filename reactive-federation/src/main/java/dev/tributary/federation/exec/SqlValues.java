package dev.tributary.federation.exec;

import dev.tributary.core.TributaryException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Internal: SQL value semantics shared by the planner and the operators, following PostgreSQL. Values are
 * the drivers' Java types; {@code null} is SQL NULL.
 *
 * <ul>
 *   <li>Numbers compare and match by value across {@code Byte}, {@code Short}, {@code Integer}, {@code Long},
 *       {@code BigInteger} and {@code BigDecimal} ({@code 5 = 5.0}); a {@code Double}/{@code Float} compares
 *       with any number as a double, as PostgreSQL compares {@code float8} with {@code numeric}.</li>
 *   <li>Strings compare exactly, by code point (the C collation).</li>
 *   <li>Arithmetic: integer with integer stays integer ({@code 7 / 2 = 3}, overflow is an error), any decimal
 *       operand makes a {@code BigDecimal} with PostgreSQL's result scale ({@code 7.0 / 2 = 3.5000000000000000}),
 *       any floating-point operand makes a {@code Double}; division by zero is an error.</li>
 * </ul>
 * Errors are {@link TributaryException}s with PostgreSQL's wording.
 */
public final class SqlValues {

    private static final int INT = 0;
    private static final int BIGINT = 1;
    private static final int NUMERIC = 2;
    private static final int FLOAT = 3;
    private static final int NOT_A_NUMBER = -1;

    private SqlValues() {
    }

    // ------------------------------------------------------------------------------------------ keys

    /**
     * The normalized join/group key of a value: two values are equal in SQL exactly when their keys are
     * {@link Object#equals equal}. Integral numbers become {@code Long} ({@code BigInteger} beyond its range),
     * a {@code BigDecimal} with a zero fraction becomes {@code Long} (or {@code BigInteger}), any other
     * {@code BigDecimal} loses its trailing zeros, an integral {@code Float}/{@code Double} becomes {@code Long},
     * another finite one a {@code BigDecimal}; {@code byte[]} is wrapped so that it compares by content;
     * strings and other values stay as they are; {@code null} stays {@code null} (and never matches).
     */
    public static @Nullable Object keyOf(@Nullable Object v) {
        if (v == null || v instanceof Long || v instanceof String) {
            return v;
        }
        if (v instanceof Integer i) {
            return (long) i;
        }
        if (v instanceof BigDecimal d) {
            return keyOfDecimal(d);
        }
        if (v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? (Object) b.longValue() : b;
        }
        if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return d;
            }
            if (d == Math.rint(d) && Math.abs(d) < 0x1p62) {
                return (long) d;
            }
            return keyOfDecimal(new BigDecimal(v.toString()));
        }
        if (v instanceof Character c) {
            return c.toString();
        }
        if (v instanceof byte[] b) {
            return ByteBuffer.wrap(b);
        }
        return v;
    }

    /** Whether {@code v} is a {@code Byte}, {@code Short}, {@code Integer} or {@code Long}. */
    static boolean isIntegral(@Nullable Object v) {
        return v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte;
    }

    private static Object keyOfDecimal(BigDecimal d) {
        if (d.signum() == 0) {
            return 0L;
        }
        BigDecimal x = d.scale() <= 0 ? d : d.stripTrailingZeros();
        if (x.scale() > 0) {
            return x;
        }
        BigInteger b = x.toBigInteger();
        return b.bitLength() < 64 ? (Object) b.longValue() : b;
    }

    // ------------------------------------------------------------------------------------------ comparison

    /**
     * Compares two non-NULL values in SQL order: numbers by value across types, strings by code point, booleans
     * ({@code false < true}), dates and times (a {@code LocalDate} is midnight of its day; offset date-times by
     * instant), {@code byte[]} and UUIDs as unsigned bytes.
     *
     * @throws TributaryException if the values cannot be compared (e.g. a string with a number)
     */
    public static int compare(Object a, Object b) {
        if (a instanceof String x && b instanceof String y) {
            return compareStrings(x, y);
        }
        if (a instanceof Number x && b instanceof Number y) {
            return compareNumbers(x, y);
        }
        if (a instanceof Boolean x && b instanceof Boolean y) {
            return Boolean.compare(x, y);
        }
        if (a instanceof Character || b instanceof Character) {
            return compare(a.toString(), b instanceof Character ? b.toString() : b);
        }
        if (a instanceof byte[] x && b instanceof byte[] y) {
            return Arrays.compareUnsigned(x, y);
        }
        if (a instanceof UUID x && b instanceof UUID y) {
            int c = Long.compareUnsigned(x.getMostSignificantBits(), y.getMostSignificantBits());
            return c != 0 ? c : Long.compareUnsigned(x.getLeastSignificantBits(), y.getLeastSignificantBits());
        }
        Instant ia = instant(a);
        Instant ib = instant(b);
        if (ia != null && ib != null) {
            return ia.compareTo(ib);
        }
        LocalDateTime la = localDateTime(a);
        LocalDateTime lb = localDateTime(b);
        if (la != null && lb != null) {
            return la.compareTo(lb);
        }
        if (a.getClass() == b.getClass() && a instanceof Comparable<?>) {
            @SuppressWarnings("unchecked")
            Comparable<Object> c = (Comparable<Object>) a;
            return c.compareTo(b);
        }
        throw new TributaryException("Cannot compare " + describe(a) + " with " + describe(b));
    }

    /**
     * SQL {@code a = b} in three-valued logic: {@code null} (UNKNOWN) if either is NULL, else whether the values
     * are equal as {@link #compare} defines it (values of one class that have no order compare with
     * {@code equals}).
     *
     * @throws TributaryException if the values cannot be compared
     */
    public static @Nullable Boolean equal(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof String x && b instanceof String y) {
            return x.equals(y);
        }
        if (a.getClass() == b.getClass() && !(a instanceof Comparable<?>) && !(a instanceof byte[])) {
            return a.equals(b);
        }
        return compare(a, b) == 0;
    }

    /** Strings by code point (not by UTF-16 unit, which orders supplementary characters wrongly). */
    static int compareStrings(String x, String y) {
        int n = Math.min(x.length(), y.length());
        for (int i = 0; i < n; i++) {
            int c = x.charAt(i);
            int d = y.charAt(i);
            if (c != d) {
                if (c >= 0xD800 && d >= 0xD800) { // surrogates sort after the rest of the BMP
                    c = c >= 0xE000 ? c - 0x800 : c + 0x2000;
                    d = d >= 0xE000 ? d - 0x800 : d + 0x2000;
                }
                return c - d;
            }
        }
        return x.length() - y.length();
    }

    static int compareNumbers(Number x, Number y) {
        int kx = numericKind(x);
        int ky = numericKind(y);
        if (kx <= BIGINT && ky <= BIGINT) {
            return Long.compare(x.longValue(), y.longValue());
        }
        if (kx == FLOAT || ky == FLOAT) {
            return compareDoubles(x.doubleValue(), y.doubleValue());
        }
        return decimal(x).compareTo(decimal(y));
    }

    /** PostgreSQL's float order: NaN equals NaN and is above everything; -0 equals 0. */
    private static int compareDoubles(double x, double y) {
        if (x < y) {
            return -1;
        }
        if (x > y) {
            return 1;
        }
        if (x == y) {
            return 0;
        }
        return Double.isNaN(x) ? (Double.isNaN(y) ? 0 : 1) : -1;
    }

    private static @Nullable Instant instant(Object o) {
        if (o instanceof OffsetDateTime t) {
            return t.toInstant();
        }
        if (o instanceof ZonedDateTime t) {
            return t.toInstant();
        }
        return o instanceof Instant t ? t : null;
    }

    private static @Nullable LocalDateTime localDateTime(Object o) {
        if (o instanceof LocalDateTime t) {
            return t;
        }
        return o instanceof LocalDate d ? d.atStartOfDay() : null;
    }

    // ------------------------------------------------------------------------------------------ arithmetic

    /** SQL {@code a + b}; also {@code date + integer} (days). NULL if either is NULL. */
    public static @Nullable Object add(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof LocalDate d && isIntegral(b)) {
            return d.plusDays(((Number) b).longValue());
        }
        if (b instanceof LocalDate d && isIntegral(a)) {
            return d.plusDays(((Number) a).longValue());
        }
        Number x = number(a, b, "+");
        Number y = number(b, a, "+");
        try {
            return switch (Math.max(numericKind(x), numericKind(y))) {
                case INT -> Math.addExact(x.intValue(), y.intValue());
                case BIGINT -> Math.addExact(x.longValue(), y.longValue());
                case NUMERIC -> decimal(x).add(decimal(y));
                default -> x.doubleValue() + y.doubleValue();
            };
        } catch (ArithmeticException e) {
            throw outOfRange(x, y);
        }
    }

    /** SQL {@code a - b}; also {@code date - integer} and {@code date - date} (days). NULL if either is NULL. */
    public static @Nullable Object subtract(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (a instanceof LocalDate d) {
            if (isIntegral(b)) {
                return d.minusDays(((Number) b).longValue());
            }
            if (b instanceof LocalDate e) {
                return Math.toIntExact(d.toEpochDay() - e.toEpochDay());
            }
        }
        Number x = number(a, b, "-");
        Number y = number(b, a, "-");
        try {
            return switch (Math.max(numericKind(x), numericKind(y))) {
                case INT -> Math.subtractExact(x.intValue(), y.intValue());
                case BIGINT -> Math.subtractExact(x.longValue(), y.longValue());
                case NUMERIC -> decimal(x).subtract(decimal(y));
                default -> x.doubleValue() - y.doubleValue();
            };
        } catch (ArithmeticException e) {
            throw outOfRange(x, y);
        }
    }

    /** SQL {@code a * b}. NULL if either is NULL. */
    public static @Nullable Object multiply(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a, b, "*");
        Number y = number(b, a, "*");
        try {
            return switch (Math.max(numericKind(x), numericKind(y))) {
                case INT -> Math.multiplyExact(x.intValue(), y.intValue());
                case BIGINT -> Math.multiplyExact(x.longValue(), y.longValue());
                case NUMERIC -> decimal(x).multiply(decimal(y));
                default -> x.doubleValue() * y.doubleValue();
            };
        } catch (ArithmeticException e) {
            throw outOfRange(x, y);
        }
    }

    /**
     * SQL {@code a / b}: integer division truncates toward zero; a decimal quotient gets PostgreSQL's scale (at
     * least 16 significant digits). NULL if either is NULL.
     *
     * @throws TributaryException on division by zero
     */
    public static @Nullable Object divide(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a, b, "/");
        Number y = number(b, a, "/");
        int kind = Math.max(numericKind(x), numericKind(y));
        if (isZero(y, kind)) {
            throw new TributaryException("division by zero");
        }
        return switch (kind) {
            case INT -> {
                if (x.intValue() == Integer.MIN_VALUE && y.intValue() == -1) {
                    throw outOfRange(x, y);
                }
                yield x.intValue() / y.intValue();
            }
            case BIGINT -> {
                if (x.longValue() == Long.MIN_VALUE && y.longValue() == -1) {
                    throw outOfRange(x, y);
                }
                yield x.longValue() / y.longValue();
            }
            case NUMERIC -> divideDecimal(decimal(x), decimal(y));
            default -> x.doubleValue() / y.doubleValue();
        };
    }

    /**
     * SQL {@code a % b}: the remainder takes the sign of {@code a}. NULL if either is NULL.
     *
     * @throws TributaryException on division by zero
     */
    public static @Nullable Object modulo(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        Number x = number(a, b, "%");
        Number y = number(b, a, "%");
        int kind = Math.max(numericKind(x), numericKind(y));
        if (isZero(y, kind)) {
            throw new TributaryException("division by zero");
        }
        return switch (kind) {
            case INT -> x.intValue() % y.intValue();
            case BIGINT -> x.longValue() % y.longValue();
            case NUMERIC -> decimal(x).remainder(decimal(y));
            default -> x.doubleValue() % y.doubleValue();
        };
    }

    /** SQL {@code -a}, keeping the type. NULL if {@code a} is NULL. */
    public static @Nullable Object negate(@Nullable Object a) {
        if (a == null) {
            return null;
        }
        try {
            if (a instanceof Integer || a instanceof Short || a instanceof Byte) {
                return Math.negateExact(((Number) a).intValue());
            }
            if (a instanceof Long l) {
                return Math.negateExact(l);
            }
        } catch (ArithmeticException e) {
            throw new TributaryException((a instanceof Long ? "bigint" : "integer") + " out of range");
        }
        if (a instanceof BigDecimal d) {
            return d.negate();
        }
        if (a instanceof BigInteger b) {
            return b.negate();
        }
        if (a instanceof Double d) {
            return -d;
        }
        if (a instanceof Float f) {
            return -f;
        }
        throw new TributaryException("operator does not exist: -" + typeName(a));
    }

    /** PostgreSQL's numeric division: the quotient gets at least 16 significant digits (select_div_scale). */
    private static BigDecimal divideDecimal(BigDecimal x, BigDecimal y) {
        int w1 = 0;
        int f1 = 0;
        if (x.signum() != 0) {
            w1 = weight(x);
            f1 = firstDigit(x, w1);
        }
        int w2 = weight(y);
        int f2 = firstDigit(y, w2);
        int qweight = w1 - w2;
        if (f1 <= f2) {
            qweight--;
        }
        int scale = 16 - qweight * 4;
        scale = Math.max(scale, Math.max(x.scale(), 0));
        scale = Math.max(scale, Math.max(y.scale(), 0));
        scale = Math.min(Math.max(scale, 0), 1000);
        return x.divide(y, scale, RoundingMode.HALF_UP);
    }

    /** The position of the leading base-10000 digit of a non-zero decimal, as PostgreSQL stores numerics. */
    private static int weight(BigDecimal d) {
        return Math.floorDiv(d.precision() - d.scale() - 1, 4);
    }

    private static int firstDigit(BigDecimal d, int weight) {
        return d.abs().movePointLeft(4 * weight).intValue();
    }

    private static boolean isZero(Number y, int kind) {
        return switch (kind) {
            case INT, BIGINT -> y.longValue() == 0;
            case NUMERIC -> decimal(y).signum() == 0;
            default -> y.doubleValue() == 0.0;
        };
    }

    // ------------------------------------------------------------------------------------------ LIKE

    /**
     * SQL {@code value LIKE pattern}: {@code %} matches any sequence of characters, {@code _} exactly one; the
     * escape character makes the next pattern character literal. {@code escape == null} means PostgreSQL's
     * default escape, the backslash. Case-sensitive. For a pattern used on many rows, compile it once with
     * {@link LikePattern#compile}.
     *
     * @throws TributaryException if the pattern ends with the escape character
     */
    public static boolean like(String value, String pattern, @Nullable Character escape) {
        return LikePattern.compile(pattern, escape).matches(value);
    }

    // ------------------------------------------------------------------------------------------ helpers

    /** 0 = int, 1 = bigint, 2 = numeric, 3 = float, -1 = not a number we know. */
    static int numericKind(Object n) {
        if (n instanceof Integer || n instanceof Short || n instanceof Byte) {
            return INT;
        }
        if (n instanceof Long) {
            return BIGINT;
        }
        if (n instanceof BigDecimal || n instanceof BigInteger) {
            return NUMERIC;
        }
        if (n instanceof Double || n instanceof Float) {
            return FLOAT;
        }
        return n instanceof Number ? NUMERIC : NOT_A_NUMBER;
    }

    /** Any number as a {@code BigDecimal} (doubles by their shortest decimal form). */
    static BigDecimal decimal(Number n) {
        if (n instanceof BigDecimal d) {
            return d;
        }
        if (n instanceof BigInteger b) {
            return new BigDecimal(b);
        }
        if (isIntegral(n)) {
            return BigDecimal.valueOf(n.longValue());
        }
        return new BigDecimal(n.toString());
    }

    private static Number number(Object v, Object other, String operator) {
        if (v instanceof Number n && numericKind(n) != NOT_A_NUMBER) {
            return n;
        }
        throw new TributaryException("operator does not exist: " + typeName(v) + " " + operator + " "
                + typeName(other) + " (" + describe(v) + ")");
    }

    private static TributaryException outOfRange(Number x, Number y) {
        boolean bigint = numericKind(x) == BIGINT || numericKind(y) == BIGINT;
        return new TributaryException((bigint ? "bigint" : "integer") + " out of range");
    }

    /** The SQL type name of a value, for messages. */
    static String typeName(Object v) {
        return switch (numericKind(v)) {
            case INT -> "integer";
            case BIGINT -> "bigint";
            case NUMERIC -> "numeric";
            case FLOAT -> "double precision";
            default -> v instanceof String ? "text" : v.getClass().getSimpleName();
        };
    }

    private static String describe(Object v) {
        String text = v instanceof byte[] b ? b.length + " bytes" : String.valueOf(v);
        if (text.length() > 40) {
            text = text.substring(0, 40) + "...";
        }
        return v.getClass().getSimpleName() + " " + (v instanceof String ? "'" + text + "'" : text);
    }
}
