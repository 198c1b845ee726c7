package dev.tributary.federation.exec;

import dev.tributary.core.TributaryException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoField;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Internal: the scalar functions of federated SQL evaluated in memory, with PostgreSQL's semantics and error
 * wording. Every function returns NULL when an argument is NULL, except {@link #concat}, which skips NULLs as
 * PostgreSQL's {@code concat} does. Lengths and positions count characters (code points), not UTF-16 units.
 * Casts and the text forms of values are in {@link SqlCasts}.
 */
public final class SqlFunctions {

    private SqlFunctions() {
    }

    /**
     * {@code ABS(x)}, keeping the type of {@code x}.
     *
     * @throws TributaryException if {@code x} is not a number or is the smallest integer of its type
     */
    public static @Nullable Object abs(@Nullable Object x) {
        if (x == null) {
            return null;
        }
        if (x instanceof Integer || x instanceof Short || x instanceof Byte || x instanceof Long) {
            return ((Number) x).longValue() < 0 ? SqlValues.negate(x) : x;
        }
        if (x instanceof BigDecimal d) {
            return d.abs();
        }
        if (x instanceof BigInteger b) {
            return b.abs();
        }
        if (x instanceof Double d) {
            return Math.abs(d);
        }
        if (x instanceof Float f) {
            return Math.abs(f);
        }
        throw noFunction("abs", x);
    }

    /**
     * {@code ROUND(x)}: a decimal rounds half away from zero to a decimal of scale 0; a floating-point number
     * rounds half to even ({@code rint}); an integer becomes a {@code double precision} of the same value, as
     * PostgreSQL resolves {@code round(integer)} to {@code round(double precision)}.
     *
     * @throws TributaryException if {@code x} is not a number
     */
    public static @Nullable Object round(@Nullable Object x) {
        if (x == null) {
            return null;
        }
        if (x instanceof BigDecimal || x instanceof BigInteger) {
            return SqlValues.decimal((Number) x).setScale(0, RoundingMode.HALF_UP);
        }
        if (SqlValues.isIntegral(x)) {
            return ((Number) x).doubleValue();
        }
        if (x instanceof Double || x instanceof Float) {
            return Math.rint(((Number) x).doubleValue());
        }
        throw noFunction("round", x);
    }

    /**
     * {@code ROUND(x, places)}: {@code x} as a decimal rounded half away from zero to {@code places} decimal
     * places (negative places round to tens, hundreds...).
     *
     * @throws TributaryException if {@code x} is a floating-point number (PostgreSQL has no
     *     {@code round(double precision, integer)}) or not a number, or {@code places} is not an integer
     */
    public static @Nullable Object round(@Nullable Object x, @Nullable Object places) {
        if (x == null || places == null) {
            return null;
        }
        if (!(x instanceof BigDecimal || x instanceof BigInteger || SqlValues.isIntegral(x)) || !isInt(places)) {
            throw noFunction("round", x, places);
        }
        int n = ((Number) places).intValue();
        BigDecimal r = SqlValues.decimal((Number) x).setScale(n, RoundingMode.HALF_UP);
        return n < 0 ? r.setScale(0) : r;
    }

    /**
     * {@code SUBSTRING(s FROM start [FOR count])}: the characters of {@code s} from position {@code start}
     * (1-based) on, at most {@code count} of them; positions before the first character count towards
     * {@code count} ({@code SUBSTRING('hello', 0, 3) = 'he'}).
     *
     * @param count {@code null} for no FOR (use {@link #substring(Object, Object)})
     * @throws TributaryException if {@code count} is negative, or the arguments are not text and integers
     */
    public static @Nullable Object substring(@Nullable Object s, @Nullable Object start, @Nullable Object count) {
        if (s == null || start == null || count == null) {
            return null;
        }
        if (!isText(s) || !isInt(start) || !isInt(count)) {
            throw noFunction("substring", s, start, count);
        }
        long n = ((Number) count).longValue();
        if (n < 0) {
            throw new TributaryException("negative substring length not allowed");
        }
        return slice(s.toString(), ((Number) start).longValue(), ((Number) start).longValue() + n);
    }

    /** {@code SUBSTRING(s FROM start)}: the characters of {@code s} from position {@code start} (1-based) on. */
    public static @Nullable Object substring(@Nullable Object s, @Nullable Object start) {
        if (s == null || start == null) {
            return null;
        }
        if (!isText(s) || !isInt(start)) {
            throw noFunction("substring", s, start);
        }
        return slice(s.toString(), ((Number) start).longValue(), Long.MAX_VALUE);
    }

    /** Code points at 1-based positions {@code [from, to)} of {@code s}, clipped to the string. */
    private static String slice(String s, long from, long to) {
        long length = s.codePointCount(0, s.length());
        long first = Math.max(from, 1);
        long end = Math.min(to, length + 1);
        if (end <= first) {
            return "";
        }
        return s.substring(s.offsetByCodePoints(0, (int) first - 1), s.offsetByCodePoints(0, (int) end - 1));
    }

    /**
     * {@code LENGTH(s)}: the number of characters (code points) of {@code s}, as an {@code Integer}.
     *
     * @throws TributaryException if {@code s} is not text
     */
    public static @Nullable Object length(@Nullable Object s) {
        if (s == null) {
            return null;
        }
        if (!isText(s)) {
            throw noFunction("length", s);
        }
        String t = s.toString();
        return t.codePointCount(0, t.length());
    }

    /**
     * {@code LOWER(s)} or {@code UPPER(s)}: each character mapped on its own (no change of length, so
     * {@code UPPER('straße') = 'STRAßE'}), as PostgreSQL does in a UTF-8 locale.
     *
     * @throws TributaryException if {@code s} is not text
     */
    public static @Nullable Object changeCase(@Nullable Object s, boolean upper) {
        if (s == null) {
            return null;
        }
        if (!isText(s)) {
            throw noFunction(upper ? "upper" : "lower", s);
        }
        String t = s.toString();
        StringBuilder sb = new StringBuilder(t.length());
        t.codePoints().forEach(c -> sb.appendCodePoint(upper ? Character.toUpperCase(c) : Character.toLowerCase(c)));
        return sb.toString();
    }

    /** Which end(s) {@link #trim} removes characters from. */
    public enum TrimSide {
        /** {@code TRIM(BOTH ...)}, the default. */
        BOTH,
        /** {@code TRIM(LEADING ...)}. */
        LEADING,
        /** {@code TRIM(TRAILING ...)}. */
        TRAILING
    }

    /**
     * {@code TRIM(side chars FROM s)}: {@code s} without the longest prefix and/or suffix made only of
     * characters in {@code chars} (a set of characters, as in PostgreSQL).
     *
     * @throws TributaryException if {@code s} or {@code chars} is not text
     */
    public static @Nullable Object trim(TrimSide side, @Nullable Object chars, @Nullable Object s) {
        if (s == null || chars == null) {
            return null;
        }
        if (!isText(s) || !isText(chars)) {
            throw noFunction("trim", s, chars);
        }
        String t = s.toString();
        String set = chars.toString();
        int begin = 0;
        int end = t.length();
        if (side != TrimSide.TRAILING) {
            while (begin < end && set.indexOf(t.codePointAt(begin)) >= 0) {
                begin += Character.charCount(t.codePointAt(begin));
            }
        }
        if (side != TrimSide.LEADING) {
            while (end > begin && set.indexOf(t.codePointBefore(end)) >= 0) {
                end -= Character.charCount(t.codePointBefore(end));
            }
        }
        return t.substring(begin, end);
    }

    /**
     * {@code CONCAT(a, b, ...)}: the text forms of the non-NULL arguments ({@link SqlCasts#output}), joined;
     * never NULL ({@code ''} when every argument is NULL).
     */
    public static String concat(@Nullable Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (Object v : values) {
            if (v != null) {
                sb.append(SqlCasts.output(v));
            }
        }
        return sb.toString();
    }

    /**
     * {@code a || b}: the text of {@code a} followed by that of {@code b} ({@link SqlCasts#text}); NULL if either
     * is NULL.
     *
     * @throws TributaryException if neither operand is text (PostgreSQL has no {@code integer || integer})
     */
    public static @Nullable Object concatOperator(@Nullable Object a, @Nullable Object b) {
        if (a == null || b == null) {
            return null;
        }
        if (!isText(a) && !isText(b)) {
            throw new TributaryException("operator does not exist: " + SqlCasts.typeName(a) + " || "
                    + SqlCasts.typeName(b));
        }
        return SqlCasts.text(a) + SqlCasts.text(b);
    }

    /** A field of {@link #extract}. */
    public enum DateField {
        /** The year. */
        YEAR(ChronoField.YEAR),
        /** The month, 1 to 12. */
        MONTH(ChronoField.MONTH_OF_YEAR),
        /** The day of the month, 1 to 31. */
        DAY(ChronoField.DAY_OF_MONTH);

        private final ChronoField field;

        DateField(ChronoField field) {
            this.field = field;
        }
    }

    /**
     * {@code EXTRACT(field FROM x)} of a date or timestamp, as a {@code BigDecimal} of scale 0 (PostgreSQL's
     * {@code numeric}, so that dividing it is a decimal division as there).
     *
     * @throws TributaryException if {@code x} is not a date or timestamp
     */
    public static @Nullable Object extract(DateField field, @Nullable Object x) {
        if (x == null) {
            return null;
        }
        int v;
        if (x instanceof LocalDate d) {
            v = d.get(field.field);
        } else if (x instanceof LocalDateTime t) {
            v = t.get(field.field);
        } else if (x instanceof OffsetDateTime t) {
            v = t.get(field.field);
        } else if (x instanceof ZonedDateTime t) {
            v = t.get(field.field);
        } else {
            throw new TributaryException("function pg_catalog.extract(unknown, " + SqlCasts.typeName(x)
                    + ") does not exist");
        }
        return BigDecimal.valueOf(v);
    }

    static boolean isText(Object v) {
        return v instanceof String || v instanceof Character;
    }

    private static boolean isInt(Object v) {
        return SqlValues.isIntegral(v) && ((Number) v).longValue() == ((Number) v).intValue();
    }

    private static TributaryException noFunction(String name, Object... args) {
        StringBuilder sb = new StringBuilder("function ").append(name).append('(');
        for (int i = 0; i < args.length; i++) {
            sb.append(i > 0 ? ", " : "").append(SqlCasts.typeName(args[i]));
        }
        return new TributaryException(sb.append(") does not exist").toString().toLowerCase(Locale.ROOT));
    }
}
