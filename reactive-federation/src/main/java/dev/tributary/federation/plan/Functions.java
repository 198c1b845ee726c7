package dev.tributary.federation.plan;

import dev.tributary.core.Dialect;
import dev.tributary.federation.exec.RowExpression;
import dev.tributary.federation.exec.SqlCasts;
import dev.tributary.federation.exec.SqlFunctions;
import dev.tributary.federation.exec.SqlFunctions.DateField;
import dev.tributary.federation.exec.SqlFunctions.TrimSide;
import dev.tributary.federation.sql.Expr;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Internal: everything federation knows of scalar functions and casts: which are supported and with how many
 * arguments, how each is written for each {@link Dialect} so that every database gives PostgreSQL's answer,
 * and how each is evaluated in memory ({@link SqlFunctions}, {@link SqlCasts}).
 *
 * <p>The query model writes them as {@link Expr.Call}s with these names and arguments: {@code ABS(x)},
 * {@code ROUND(x[, places])}, {@code SUBSTRING(s, start[, count])}, {@code LENGTH(s)},
 * {@code TRIM(side, chars, s)} (side a literal BOTH/LEADING/TRAILING, chars a one-character literal),
 * {@code CONCAT(a, ...)} (NULLs skipped), {@code CONCAT_OP(a, b)} (the {@code ||} operator, NULL-propagating),
 * {@code EXTRACT(field, x)} (field a literal YEAR/MONTH/DAY), {@code COALESCE}, {@code LOWER}, {@code UPPER};
 * and casts as {@link Expr.Cast}s with a normalised type ({@link SqlCasts.Type}).
 */
public final class Functions {

    /** The name of the {@code ||} operator as an {@link Expr.Call}. */
    public static final String CONCAT_OPERATOR = "CONCAT_OP";

    /** Supported functions: minimum and maximum number of arguments. */
    private static final Map<String, int[]> ARITY = Map.ofEntries(
            Map.entry("ABS", new int[] {1, 1}), Map.entry("ROUND", new int[] {1, 2}),
            Map.entry("SUBSTRING", new int[] {2, 3}), Map.entry("LENGTH", new int[] {1, 1}),
            Map.entry("TRIM", new int[] {3, 3}), Map.entry("CONCAT", new int[] {1, Integer.MAX_VALUE}),
            Map.entry(CONCAT_OPERATOR, new int[] {2, 2}), Map.entry("EXTRACT", new int[] {2, 2}),
            Map.entry("COALESCE", new int[] {1, Integer.MAX_VALUE}), Map.entry("LOWER", new int[] {1, 1}),
            Map.entry("UPPER", new int[] {1, 1}));

    /** Other spellings accepted for a supported function. */
    private static final Map<String, String> ALIASES = Map.of("SUBSTR", "SUBSTRING", "CHAR_LENGTH", "LENGTH",
            "CHARACTER_LENGTH", "LENGTH");

    private static final Map<String, String> TYPE_ALIASES = Map.ofEntries(
            Map.entry("INT", "INTEGER"), Map.entry("INT4", "INTEGER"), Map.entry("INT8", "BIGINT"),
            Map.entry("DECIMAL", "NUMERIC"), Map.entry("CHARACTER VARYING", "VARCHAR"),
            Map.entry("TIMESTAMP WITHOUT TIME ZONE", "TIMESTAMP"), Map.entry("FLOAT8", "DOUBLE PRECISION"),
            Map.entry("DOUBLE", "DOUBLE PRECISION"), Map.entry("BOOL", "BOOLEAN"));

    private static final Pattern WRITTEN_TYPE = Pattern.compile("([A-Z0-9 ]+?)\\s*(\\(\\s*\\d+\\s*(?:,\\s*\\d+\\s*)?\\))?");

    private Functions() {
    }

    /** The canonical name of a supported function written {@code name} (any case), or {@code null}. */
    public static @Nullable String canonicalName(String name) {
        String upper = name.toUpperCase(Locale.ROOT);
        String canonical = ALIASES.getOrDefault(upper, upper);
        return ARITY.containsKey(canonical) && !canonical.equals(CONCAT_OPERATOR) ? canonical : null;
    }

    /** Whether {@code function} (a canonical name) takes {@code count} arguments. */
    public static boolean acceptsArity(String function, int count) {
        int[] range = ARITY.get(function);
        return range != null && count >= range[0] && count <= range[1];
    }

    /**
     * The normalised form of a cast type as written ({@code int}, {@code decimal (10, 2)}, {@code character
     * varying(5)}, {@code float8} ...), or {@code null} if it is not one of the supported types.
     */
    public static @Nullable String castType(String written) {
        Matcher m = WRITTEN_TYPE.matcher(written.strip().toUpperCase(Locale.ROOT).replaceAll("\\s+", " "));
        if (!m.matches()) {
            return null;
        }
        String base = TYPE_ALIASES.getOrDefault(m.group(1), m.group(1));
        String size = m.group(2) == null ? "" : m.group(2).replaceAll("\\s", "");
        if (base.equals("NUMERIC") && size.matches("\\(\\d+\\)")) {
            size = size.replace(")", ",0)");
        }
        try {
            return SqlCasts.Type.parse(base + size).toString();
        } catch (IllegalArgumentException notSupported) {
            return null;
        }
    }

    /**
     * The name PostgreSQL gives a select-list call or cast without an alias: the function's name in lower case
     * ({@code btrim}/{@code ltrim}/{@code rtrim} for TRIM), {@code ?column?} for {@code ||}, the column's name
     * for a cast of a column, else the type's internal name ({@code int4}, {@code numeric}, {@code float8}...).
     */
    public static String outputName(Expr e) {
        if (e instanceof Expr.Cast c) {
            if (c.operand() instanceof Expr.Column col) {
                return col.name();
            }
            return switch (SqlCasts.Type.parse(c.type()).kind()) {
                case INTEGER -> "int4";
                case BIGINT -> "int8";
                case DOUBLE_PRECISION -> "float8";
                case BOOLEAN -> "bool";
                default -> SqlCasts.Type.parse(c.type()).kind().name().toLowerCase(Locale.ROOT);
            };
        }
        Expr.Call call = (Expr.Call) e;
        return switch (call.function()) {
            case CONCAT_OPERATOR -> "?column?";
            case "TRIM" -> switch (literal(call.args().get(0))) {
                case "LEADING" -> "ltrim";
                case "TRAILING" -> "rtrim";
                default -> "btrim";
            };
            default -> call.function().toLowerCase(Locale.ROOT);
        };
    }

    /** Readable SQL of a call or cast for plans and messages, its arguments written by {@code text}. */
    static String text(Expr e, java.util.function.Function<Expr, String> text) {
        if (e instanceof Expr.Cast c) {
            return "CAST(" + text.apply(c.operand()) + " AS " + c.type() + ")";
        }
        Expr.Call call = (Expr.Call) e;
        List<Expr> args = call.args();
        return switch (call.function()) {
            case CONCAT_OPERATOR -> text.apply(args.get(0)) + " || " + text.apply(args.get(1));
            case "EXTRACT" -> "EXTRACT(" + literal(args.get(0)) + " FROM " + text.apply(args.get(1)) + ")";
            case "TRIM" -> "TRIM(" + literal(args.get(0)) + " " + text.apply(args.get(1)) + " FROM " + text.apply(args.get(2)) + ")";
            default -> call.function() + "(" + String.join(", ", args.stream().map(text).toList()) + ")";
        };
    }

    // ------------------------------------------------------------------------------------------ rendering

    /** Where {@link #render} writes: SQL text, and sub-expressions rendered (parenthesised) by the renderer. */
    interface Sql {
        Sql text(String sql);

        Sql expr(Expr e);
    }

    /** Writes a call or cast for {@code dialect}. */
    static void render(Expr e, Dialect dialect, Sql out) {
        if (e instanceof Expr.Cast c) {
            cast(c, dialect, out);
            return;
        }
        Expr.Call call = (Expr.Call) e;
        List<Expr> args = call.args();
        boolean maria = dialect == Dialect.MARIADB;
        switch (call.function()) {
            case "LENGTH" -> call(maria || dialect == Dialect.GENERIC ? "CHAR_LENGTH" : "LENGTH", args, out);
            case "CONCAT" -> {
                if (maria) { // MariaDB's CONCAT is NULL if any argument is; CONCAT_WS skips NULLs like PostgreSQL's CONCAT
                    out.text("CONCAT_WS('', ");
                    list(args, out);
                    out.text(")");
                } else if (args.size() == 1 && dialect == Dialect.H2) { // H2's CONCAT needs two arguments
                    out.text("CONCAT(").expr(args.get(0)).text(", '')");
                } else {
                    call("CONCAT", args, out);
                }
            }
            case CONCAT_OPERATOR -> {
                if (maria) { // || is OR there; CONCAT propagates NULL like ||
                    call("CONCAT", args, out);
                } else {
                    out.text("(").expr(args.get(0)).text(" || ").expr(args.get(1)).text(")");
                }
            }
            case "TRIM" -> {
                out.text("TRIM(").text(literal(args.get(0))).text(" ");
                if (!" ".equals(((Expr.Literal) args.get(1)).value())) {
                    out.expr(args.get(1)).text(" ");
                }
                out.text("FROM ").expr(args.get(2)).text(")");
            }
            case "EXTRACT" -> {
                // PostgreSQL's EXTRACT is numeric, so EXTRACT(...) / 4 is a decimal division; H2's is an integer
                boolean h2 = dialect == Dialect.H2;
                out.text(h2 ? "CAST(EXTRACT(" : "EXTRACT(").text(literal(args.get(0))).text(" FROM ").expr(args.get(1))
                        .text(h2 ? ") AS NUMERIC(10,0))" : ")");
            }
            case "SUBSTRING" -> substring(args, dialect, out);
            case "ROUND" -> {
                out.text("ROUND(").expr(args.get(0));
                if (args.size() == 2) {
                    integerArgument(args.get(1), dialect, out.text(", "));
                }
                out.text(")");
            }
            default -> call(call.function(), args, out);
        }
    }

    /**
     * PostgreSQL counts positions before the first character towards the length (SUBSTRING('hello', 0, 3) is
     * 'he'); H2 reads 0 as 1 and MariaDB a negative start from the end. Outside PostgreSQL a start that is not a
     * literal of at least 1 is clamped to 1 and the length shortened by what was clamped.
     */
    private static void substring(List<Expr> args, Dialect dialect, Sql out) {
        Expr start = args.get(1);
        boolean plain = dialect == Dialect.POSTGRESQL
                || start instanceof Expr.Literal l && l.value() instanceof Number n && n.longValue() >= 1;
        if (plain) {
            out.text("SUBSTRING(").expr(args.get(0));
            for (Expr arg : args.subList(1, args.size())) {
                integerArgument(arg, dialect, out.text(", "));
            }
            out.text(")");
            return;
        }
        out.text("SUBSTRING(").expr(args.get(0)).text(", CASE WHEN ").expr(start).text(" < 1 THEN 1 ELSE ")
                .expr(start).text(" END");
        if (args.size() == 3) {
            out.text(", CASE WHEN ").expr(start).text(" < 1 THEN ").expr(start).text(" + ").expr(args.get(2))
                    .text(" - 1 ELSE ").expr(args.get(2)).text(" END");
        }
        out.text(")");
    }

    /**
     * An argument PostgreSQL wants as an {@code integer}: a parameter is cast there, since r2dbc-postgresql
     * binds a {@code Long} as {@code bigint} and PostgreSQL has no {@code substring(text, bigint)}.
     */
    private static void integerArgument(Expr arg, Dialect dialect, Sql out) {
        if (dialect == Dialect.POSTGRESQL && arg instanceof Expr.Param) {
            out.text("CAST(").expr(arg).text(" AS INTEGER)");
        } else {
            out.expr(arg);
        }
    }

    private static void cast(Expr.Cast c, Dialect dialect, Sql out) {
        SqlCasts.Type type = SqlCasts.Type.parse(c.type());
        if (dialect == Dialect.MARIADB && type.kind() == SqlCasts.Kind.BOOLEAN) {
            // MariaDB has no CAST AS BOOLEAN; its booleans are 1 and 0
            out.text("CASE WHEN ").expr(c.operand()).text(" IS NULL THEN NULL WHEN ").expr(c.operand())
                    .text(" <> 0 THEN TRUE ELSE FALSE END");
            return;
        }
        Expr operand = c.operand();
        boolean temporal = type.kind() == SqlCasts.Kind.DATE || type.kind() == SqlCasts.Kind.TIMESTAMP;
        if (dialect == Dialect.H2 && (operand instanceof Expr.Literal l && l.value() instanceof String
                || operand instanceof Expr.Param && temporal)) {
            // r2dbc-h2 binds a string as a CLOB, which H2 does not convert to a date or number
            out.text("CAST(CAST(").expr(operand).text(" AS VARCHAR) AS ").text(typeName(type, dialect)).text(")");
            return;
        }
        out.text("CAST(").expr(operand).text(" AS ").text(typeName(type, dialect)).text(")");
    }

    /** The type as {@code dialect} writes it in a CAST. */
    static String typeName(SqlCasts.Type type, Dialect dialect) {
        if (dialect == Dialect.MARIADB) {
            return switch (type.kind()) {
                case INTEGER, BIGINT -> "SIGNED";
                case NUMERIC -> type.length() < 0 ? "DECIMAL(65,30)" : "DECIMAL(" + type.length() + "," + type.scale() + ")";
                case VARCHAR, TEXT -> type.length() < 0 ? "CHAR" : "CHAR(" + type.length() + ")";
                case TIMESTAMP -> "DATETIME(6)";
                case DOUBLE_PRECISION -> "DOUBLE";
                default -> type.toString();
            };
        }
        if (dialect == Dialect.H2) {
            if (type.kind() == SqlCasts.Kind.NUMERIC && type.length() < 0) {
                return "DECFLOAT"; // H2's NUMERIC without a precision has scale 0
            }
            if (type.kind() == SqlCasts.Kind.TEXT) {
                return "VARCHAR"; // H2's TEXT is a CLOB
            }
        }
        return type.toString();
    }

    private static void call(String name, List<Expr> args, Sql out) {
        out.text(name).text("(");
        list(args, out);
        out.text(")");
    }

    private static void list(List<Expr> args, Sql out) {
        for (int i = 0; i < args.size(); i++) {
            if (i > 0) {
                out.text(", ");
            }
            out.expr(args.get(i));
        }
    }

    private static String literal(Expr keyword) {
        return String.valueOf(((Expr.Literal) keyword).value());
    }

    // ------------------------------------------------------------------------------------------ evaluation

    /** The in-memory evaluation of a call or cast whose arguments (operand) evaluate as {@code args}. */
    static RowExpression compile(Expr e, RowExpression[] args) {
        if (e instanceof Expr.Cast c) {
            UnaryOperator<@Nullable Object> cast = SqlCasts.to(SqlCasts.Type.parse(c.type()));
            RowExpression x = args[0];
            return row -> cast.apply(x.evaluate(row));
        }
        Expr.Call call = (Expr.Call) e;
        RowExpression a = args[0];
        RowExpression b = args.length > 1 ? args[1] : null;
        return switch (call.function()) {
            case "ABS" -> row -> SqlFunctions.abs(a.evaluate(row));
            case "ROUND" -> b == null ? row -> SqlFunctions.round(a.evaluate(row))
                    : row -> SqlFunctions.round(a.evaluate(row), b.evaluate(row));
            case "SUBSTRING" -> args.length == 2 ? row -> SqlFunctions.substring(a.evaluate(row), b.evaluate(row))
                    : row -> SqlFunctions.substring(a.evaluate(row), b.evaluate(row), args[2].evaluate(row));
            case "LENGTH" -> row -> SqlFunctions.length(a.evaluate(row));
            case "TRIM" -> {
                TrimSide side = TrimSide.valueOf(literal(call.args().get(0)));
                yield row -> SqlFunctions.trim(side, b.evaluate(row), args[2].evaluate(row));
            }
            case "CONCAT" -> row -> {
                Object[] values = new Object[args.length];
                for (int i = 0; i < args.length; i++) {
                    values[i] = args[i].evaluate(row);
                }
                return SqlFunctions.concat(values);
            };
            case CONCAT_OPERATOR -> row -> SqlFunctions.concatOperator(a.evaluate(row), b.evaluate(row));
            case "EXTRACT" -> {
                DateField field = DateField.valueOf(literal(call.args().get(0)));
                yield row -> SqlFunctions.extract(field, b.evaluate(row));
            }
            case "COALESCE" -> row -> {
                for (RowExpression arg : args) {
                    Object v = arg.evaluate(row);
                    if (v != null) {
                        return v;
                    }
                }
                return null;
            };
            case "LOWER" -> row -> SqlFunctions.changeCase(a.evaluate(row), false);
            case "UPPER" -> row -> SqlFunctions.changeCase(a.evaluate(row), true);
            default -> throw new IllegalStateException("unknown function " + call.function());
        };
    }
}
