package dev.tributary.federation.exec;

import dev.tributary.core.TributaryException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Internal: {@code CAST} and the text form of values, following PostgreSQL: what converts, how it rounds, and
 * the error (with PostgreSQL's wording) when it does not. NULL casts to NULL.
 */
public final class SqlCasts {

    private static final Pattern INTEGER = Pattern.compile("[+-]?\\d+");
    private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
    private static final Pattern DATE_TIME = Pattern.compile(
            "(\\d{4}-\\d{1,2}-\\d{1,2})(?:[ T](\\d{1,2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?");
    private static final Pattern TYPE = Pattern.compile("([A-Z ]+?)(?:\\((\\d+)(?:,(\\d+))?\\))?");
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private SqlCasts() {
    }

    /** The types a value can be cast to. */
    public enum Kind {
        INTEGER, BIGINT, NUMERIC, VARCHAR, TEXT, DATE, TIMESTAMP, DOUBLE_PRECISION, BOOLEAN
    }

    /**
     * A cast's target type.
     *
     * @param kind the type
     * @param length the precision of a NUMERIC or the length of a VARCHAR, {@code -1} when not given
     * @param scale the scale of a NUMERIC with a precision, else {@code 0}
     */
    public record Type(Kind kind, int length, int scale) {

        /**
         * Parses a normalised type: {@code INTEGER}, {@code BIGINT}, {@code NUMERIC}, {@code NUMERIC(p,s)},
         * {@code VARCHAR}, {@code VARCHAR(n)}, {@code TEXT}, {@code DATE}, {@code TIMESTAMP},
         * {@code DOUBLE PRECISION}, {@code BOOLEAN}.
         *
         * @throws IllegalArgumentException for any other text, naming it
         */
        public static Type parse(String normalised) {
            Matcher m = TYPE.matcher(normalised);
            Kind kind = null;
            if (m.matches()) {
                try {
                    kind = Kind.valueOf(m.group(1).replace(' ', '_'));
                } catch (IllegalArgumentException unknown) {
                    kind = null;
                }
            }
            boolean sized = kind != null && m.group(2) != null;
            if (kind == null || sized && kind != Kind.NUMERIC && kind != Kind.VARCHAR
                    || m.group(3) != null && kind != Kind.NUMERIC) {
                throw new IllegalArgumentException("not a cast type: " + normalised);
            }
            int length = sized ? Integer.parseInt(m.group(2)) : -1;
            int scale = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
            if (sized && (length < 1 || length > (kind == Kind.NUMERIC ? 1000 : 10_485_760) || scale > length)) {
                throw new IllegalArgumentException("invalid size in cast type " + normalised);
            }
            return new Type(kind, length, scale);
        }

        @Override
        public String toString() {
            String name = kind.name().replace('_', ' ');
            if (length < 0) {
                return name;
            }
            return kind == Kind.NUMERIC ? name + "(" + length + "," + scale + ")" : name + "(" + length + ")";
        }
    }

    /** The function that casts a value to {@code type}; it throws a {@link TributaryException} where PostgreSQL errs. */
    public static UnaryOperator<@Nullable Object> to(Type type) {
        return switch (type.kind()) {
            case INTEGER -> v -> v == null ? null : (Object) Math.toIntExact(integral(v, type, Integer.MIN_VALUE, Integer.MAX_VALUE));
            case BIGINT -> v -> v == null ? null : (Object) integral(v, type, Long.MIN_VALUE, Long.MAX_VALUE);
            case NUMERIC -> v -> v == null ? null : numeric(v, type);
            case DOUBLE_PRECISION -> v -> v == null ? null : (Object) toDouble(v);
            case BOOLEAN -> v -> v == null ? null : toBoolean(v);
            case DATE -> v -> v == null ? null : toDate(v);
            case TIMESTAMP -> v -> v == null ? null : toTimestamp(v);
            case VARCHAR, TEXT -> v -> {
                if (v == null) {
                    return null;
                }
                String s = text(v);
                int n = type.length();
                return n < 0 || s.codePointCount(0, s.length()) <= n ? s : s.substring(0, s.offsetByCodePoints(0, n));
            };
        };
    }

    private static long integral(Object v, Type type, long min, long max) {
        BigInteger b;
        if (SqlValues.isIntegral(v)) {
            b = BigInteger.valueOf(((Number) v).longValue());
        } else if (v instanceof BigInteger i) {
            b = i;
        } else if (v instanceof BigDecimal d) {
            b = d.setScale(0, RoundingMode.HALF_UP).toBigIntegerExact();
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw outOfRange(type);
            }
            b = new BigDecimal(Math.rint(d)).toBigInteger();
        } else if (v instanceof String s && INTEGER.matcher(s.strip()).matches()) {
            b = new BigInteger(s.strip());
        } else if (v instanceof Boolean bool && type.kind() == Kind.INTEGER) {
            b = bool ? BigInteger.ONE : BigInteger.ZERO;
        } else {
            throw invalid(v, type);
        }
        if (b.compareTo(BigInteger.valueOf(min)) < 0 || b.compareTo(BigInteger.valueOf(max)) > 0) {
            throw outOfRange(type);
        }
        return b.longValue();
    }

    private static BigDecimal numeric(Object v, Type type) {
        BigDecimal d;
        if (v instanceof Double || v instanceof Float) {
            double x = ((Number) v).doubleValue();
            if (Double.isNaN(x) || Double.isInfinite(x)) {
                throw new TributaryException("cannot convert " + output(v) + " to numeric");
            }
            // PostgreSQL keeps DBL_DIG (15) significant digits of a float8, FLT_DIG (6) of a float4
            d = new BigDecimal(x).round(new MathContext(v instanceof Float ? 6 : 15, RoundingMode.HALF_EVEN))
                    .stripTrailingZeros();
            d = d.scale() < 0 ? d.setScale(0) : d;
        } else if (v instanceof Number n && SqlValues.numericKind(n) >= 0) {
            d = SqlValues.decimal(n);
        } else if (v instanceof String s && DECIMAL.matcher(s.strip()).matches()) {
            d = new BigDecimal(s.strip());
            d = d.scale() < 0 ? d.setScale(0) : d;
        } else {
            throw invalid(v, type);
        }
        if (type.length() < 0) {
            return d;
        }
        BigDecimal r = d.setScale(type.scale(), RoundingMode.HALF_UP);
        if (r.signum() != 0 && r.precision() - r.scale() > type.length() - type.scale()) {
            throw new TributaryException("numeric field overflow: a field with precision " + type.length()
                    + ", scale " + type.scale() + " must round to an absolute value less than 10^"
                    + (type.length() - type.scale()));
        }
        return r;
    }

    private static double toDouble(Object v) {
        if (v instanceof Number n && SqlValues.numericKind(n) >= 0) {
            return n.doubleValue();
        }
        if (v instanceof String s) {
            String t = s.strip();
            String lower = t.toLowerCase(Locale.ROOT);
            if (DECIMAL.matcher(t).matches()) {
                double d = Double.parseDouble(t);
                if (Double.isInfinite(d)) {
                    throw new TributaryException("\"" + t + "\" is out of range for type double precision");
                }
                return d;
            }
            switch (lower.startsWith("+") ? lower.substring(1) : lower) {
                case "nan":
                    return Double.NaN;
                case "infinity", "inf":
                    return Double.POSITIVE_INFINITY;
                case "-infinity", "-inf":
                    return Double.NEGATIVE_INFINITY;
                default:
                    break;
            }
        }
        throw invalid(v, new Type(Kind.DOUBLE_PRECISION, -1, 0));
    }

    private static Boolean toBoolean(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).intValue() != 0;
        }
        if (v instanceof String s) {
            String t = s.strip().toLowerCase(Locale.ROOT);
            if (!t.isEmpty() && ("true".startsWith(t) || "yes".startsWith(t) || t.equals("on") || t.equals("1"))) {
                return true;
            }
            if (!t.isEmpty() && ("false".startsWith(t) || "no".startsWith(t) || t.length() > 1 && "off".startsWith(t)
                    || t.equals("0"))) {
                return false;
            }
        }
        throw invalid(v, new Type(Kind.BOOLEAN, -1, 0));
    }

    private static LocalDate toDate(Object v) {
        if (v instanceof LocalDate d) {
            return d;
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate();
        }
        return toTimestamp(v, new Type(Kind.DATE, -1, 0)).toLocalDate();
    }

    private static LocalDateTime toTimestamp(Object v) {
        if (v instanceof LocalDateTime t) {
            return t;
        }
        if (v instanceof LocalDate d) {
            return d.atStartOfDay();
        }
        return toTimestamp(v, new Type(Kind.TIMESTAMP, -1, 0));
    }

    /** Parses {@code yyyy-mm-dd[ hh:mm[:ss[.fraction]]]}, the fraction rounded to microseconds. */
    private static LocalDateTime toTimestamp(Object v, Type type) {
        Matcher m = v instanceof String s ? DATE_TIME.matcher(s.strip()) : null;
        if (m == null || !m.matches()) {
            throw invalid(v, type);
        }
        try {
            String[] ymd = m.group(1).split("-");
            LocalDateTime t = LocalDate.of(Integer.parseInt(ymd[0]), Integer.parseInt(ymd[1]), Integer.parseInt(ymd[2]))
                    .atStartOfDay();
            if (m.group(2) != null) {
                t = t.withHour(Integer.parseInt(m.group(2))).withMinute(Integer.parseInt(m.group(3)));
            }
            if (m.group(4) != null) {
                t = t.withSecond(Integer.parseInt(m.group(4)));
            }
            if (m.group(5) != null) {
                long micros = new BigDecimal("0." + m.group(5)).movePointRight(6).setScale(0, RoundingMode.HALF_EVEN)
                        .longValueExact();
                t = t.plusNanos(micros * 1000);
            }
            return t;
        } catch (java.time.DateTimeException bad) {
            throw new TributaryException("date/time field value out of range: \"" + v + "\"");
        }
    }

    // ------------------------------------------------------------------------------------------ text

    /**
     * The text a value casts to ({@code CAST(v AS TEXT)}, and each operand of {@code ||}): as {@link #output},
     * except that a boolean is {@code true}/{@code false}.
     */
    public static String text(Object v) {
        if (v instanceof Boolean b) {
            return b ? "true" : "false";
        }
        return output(v);
    }

    /**
     * The text PostgreSQL prints for a value (its output function; what {@code CONCAT} uses): decimals with
     * their scale ({@code 1.50}), floating-point numbers in their shortest form ({@code 0.1}, {@code 1e+20}),
     * booleans {@code t}/{@code f}, dates {@code 2024-01-31}, timestamps {@code 2024-01-31 10:00:00[.5]},
     * {@code bytea} as {@code \x} and hex.
     */
    public static String output(Object v) {
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof Double || v instanceof Float) {
            return floatText(v);
        }
        if (v instanceof Boolean b) {
            return b ? "t" : "f";
        }
        if (v instanceof LocalDateTime t) {
            return t.toLocalDate() + " " + timeText(t.toLocalTime());
        }
        if (v instanceof LocalTime t) {
            return timeText(t);
        }
        if (v instanceof OffsetDateTime t) {
            String offset = t.getOffset().getId().replace("Z", "+00:00");
            return t.toLocalDate() + " " + timeText(t.toLocalTime()) + (offset.endsWith(":00")
                    ? offset.substring(0, offset.length() - 3) : offset);
        }
        if (v instanceof byte[] b) {
            return "\\x" + HexFormat.of().formatHex(b);
        }
        return v.toString();
    }

    private static String timeText(LocalTime t) {
        String s = TIME.format(t);
        int micros = t.getNano() / 1000;
        if (micros == 0) {
            return s;
        }
        String fraction = String.format(Locale.ROOT, "%06d", micros).replaceAll("0+$", "");
        return s + "." + fraction;
    }

    /** PostgreSQL's float output: shortest digits, exponent form below 1e-4 and from 1e15 (1e6 for real). */
    private static String floatText(Object v) {
        double d = ((Number) v).doubleValue();
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "Infinity" : "-Infinity";
        }
        if (d == 0) {
            return 1 / d < 0 ? "-0" : "0";
        }
        BigDecimal x = new BigDecimal(v.toString()).stripTrailingZeros();
        int exponent = x.precision() - x.scale() - 1;
        if (exponent < -4 || exponent >= (v instanceof Float ? 6 : 15)) {
            String digits = x.unscaledValue().abs().toString();
            String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            return (x.signum() < 0 ? "-" : "") + mantissa + "e" + (exponent < 0 ? "-" : "+")
                    + String.format(Locale.ROOT, "%02d", Math.abs(exponent));
        }
        return x.toPlainString();
    }

    /** The PostgreSQL type name of a value, for messages. */
    static String typeName(Object v) {
        if (v instanceof Boolean) {
            return "boolean";
        }
        if (v instanceof LocalDate) {
            return "date";
        }
        if (v instanceof LocalDateTime) {
            return "timestamp without time zone";
        }
        if (v instanceof OffsetDateTime) {
            return "timestamp with time zone";
        }
        return SqlValues.typeName(v);
    }

    private static TributaryException invalid(Object v, Type type) {
        String name = type.kind().name().replace('_', ' ').toLowerCase(Locale.ROOT);
        if (v instanceof String s) {
            return new TributaryException("invalid input syntax for type " + name + ": \"" + s + "\"");
        }
        return new TributaryException("cannot cast type " + typeName(v) + " to " + name);
    }

    private static TributaryException outOfRange(Type type) {
        return new TributaryException(type.kind().name().toLowerCase(Locale.ROOT) + " out of range");
    }
}
