package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.core.Columns;
import dev.tributary.core.Row;
import dev.tributary.core.TributaryException;
import dev.tributary.federation.sql.Expr;
import dev.tributary.federation.sql.SelectQuery;
import dev.tributary.federation.sql.SqlFrontEnd;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Scalar functions and casts evaluated in memory give PostgreSQL's values (checked against PostgreSQL 15),
 * NULL for a NULL argument, and PostgreSQL's errors.
 */
class FunctionEvaluationTest {

    private static final List<String> NAMES = List.of("i", "n", "s", "d", "f", "day", "ts", "b", "big", "u");
    private static final List<Expr> LAYOUT = java.util.stream.IntStream.range(0, NAMES.size())
            .mapToObj(i -> (Expr) new Expr.Ref(0, i)).toList();
    private static final Row ROW = Row.of(Columns.of(NAMES.toArray(String[]::new)), 7, null, "  Apple ",
            new BigDecimal("2.50"), 2.5d, LocalDate.of(2024, 2, 29), LocalDateTime.of(2023, 12, 31, 23, 59, 30, 500_000_000),
            true, 9_000_000_000L, "h\uD83D\uDE00llo");

    private static Object eval(String expr) {
        SelectQuery q = SqlFrontEnd.parse("SELECT " + expr + " FROM t");
        Expr e = ((SelectQuery.ExprItem) q.items().get(0)).expr().rewrite(x -> x instanceof Expr.Column c
                ? new Expr.Ref(0, NAMES.indexOf(c.name())) : x);
        return ExpressionCompiler.compile(e, LAYOUT, p -> 3).evaluate(ROW);
    }

    /** The value as PostgreSQL's psql prints it, with its Java class for numbers. */
    private static String show(Object v) {
        if (v == null) {
            return "NULL";
        }
        String type = v instanceof Number ? " " + v.getClass().getSimpleName() : "";
        return (v instanceof BigDecimal b ? b.toPlainString() : v.toString()) + type;
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
        "ABS(-i); 7 Integer",
        "ABS(-d); 2.50 BigDecimal",
        "ABS(-f); 2.5 Double",
        "ABS(-big); 9000000000 Long",
        "ABS(n); NULL",
        "ROUND(d); 3 BigDecimal",
        "ROUND(-d); -3 BigDecimal",
        "ROUND(f); 2.0 Double",
        "ROUND(f + 1); 4.0 Double",
        "ROUND(3.5e0); 4 BigDecimal",
        "ROUND(i); 7.0 Double",
        "ROUND(i) / 2; 3.5 Double",
        "ROUND(1234.5678, -2); 1200 BigDecimal",
        "ROUND(2.345, 2); 2.35 BigDecimal",
        "ROUND(-2.345, 2); -2.35 BigDecimal",
        "ROUND(15, -1); 20 BigDecimal",
        "ROUND(d, n); NULL",
        "SUBSTRING(s FROM 3 FOR 3); App",
        "SUBSTRING(s, 3); 'Apple '",
        "SUBSTRING('hello', 0, 3); he",
        "SUBSTRING('hello', -1, 3); h",
        "SUBSTRING('hello', 2, 0); ''",
        "SUBSTRING('hello', 9); ''",
        "SUBSTRING(u, 2, 2); \uD83D\uDE00l",
        "SUBSTRING(s, n, 2); NULL",
        "SUBSTRING(n, 1, 2); NULL",
        "SUBSTRING(s, 1, n); NULL",
        "LENGTH(s); 8 Integer",
        "LENGTH(u); 5 Integer",
        "LENGTH(n); NULL",
        "TRIM(s); Apple",
        "TRIM(LEADING FROM s); 'Apple '",
        "TRIM(TRAILING FROM s); '  Apple'",
        "TRIM(BOTH 'x' FROM 'xxaxx'); a",
        "TRIM(n); NULL",
        "CONCAT(s, n, i, d, b, day, ts); '  Apple 72.50t2024-02-292023-12-31 23:59:30.5'",
        "CONCAT(n, n); ''",
        "CONCAT('x', f, f / 25, f * 4e19, f - 1.5); 'x2.50.11e+201'",
        "'a' || i || d; a72.50",
        "'a' || b; atrue",
        "'a' || day; a2024-02-29",
        "'a' || n; NULL",
        "n || 'a'; NULL",
        "EXTRACT(YEAR FROM day); 2024 BigDecimal",
        "EXTRACT(MONTH FROM day); 2 BigDecimal",
        "EXTRACT(DAY FROM ts); 31 BigDecimal",
        "EXTRACT(YEAR FROM day) / 4; 506.0000000000000000 BigDecimal",
        "EXTRACT(YEAR FROM n); NULL",
        "LOWER(s); '  apple '",
        "UPPER('straße é'); STRAßE É",
        "LOWER('İX'); ix",
        "UPPER(n); NULL",
        "COALESCE(n, s); '  Apple '",
    })
    void functionsEvaluateLikePostgres(String expr, String expected) {
        assertThat(show(eval(expr))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', value = {
        "CAST(d AS INTEGER); 3 Integer",
        "CAST(-d AS INTEGER); -3 Integer",
        "CAST(f AS INTEGER); 2 Integer",
        "CAST(f + 1 AS INTEGER); 4 Integer",
        "CAST(' 12 ' AS INTEGER); 12 Integer",
        "CAST(b AS INTEGER); 1 Integer",
        "CAST(i AS BIGINT); 7 Long",
        "CAST('9000000000' AS BIGINT); 9000000000 Long",
        "CAST(d AS NUMERIC(5,1)); 2.5 BigDecimal",
        "CAST(123.456 AS NUMERIC(5,2)); 123.46 BigDecimal",
        "CAST(i AS NUMERIC); 7 BigDecimal",
        "CAST(f / 3 AS NUMERIC); 0.833333333333333 BigDecimal",
        "CAST(' 1.5 ' AS DECIMAL); 1.5 BigDecimal",
        "CAST(i AS NUMERIC) / 2; 3.5000000000000000 BigDecimal",
        "CAST(12345.6 AS VARCHAR(3)); 123",
        "CAST(d AS VARCHAR); 2.50",
        "CAST(b AS TEXT); true",
        "CAST(day AS TEXT); 2024-02-29",
        "CAST(ts AS VARCHAR); 2023-12-31 23:59:30.5",
        "CAST(u AS VARCHAR(2)); h\uD83D\uDE00",
        "CAST('2024-01-31' AS DATE); 2024-01-31",
        "CAST(ts AS DATE); 2023-12-31",
        "CAST(day AS TIMESTAMP); 2024-02-29T00:00",
        "CAST('2024-01-31 10:00:00.25' AS TIMESTAMP); 2024-01-31T10:00:00.250",
        "CAST(d AS DOUBLE PRECISION); 2.5 Double",
        "CAST(' -1e3 ' AS DOUBLE PRECISION); -1000.0 Double",
        "CAST(' yes ' AS BOOLEAN); true",
        "CAST('f' AS BOOLEAN); false",
        "CAST(i AS BOOLEAN); true",
        "CAST(n AS INTEGER); NULL",
        "CAST(n AS DATE); NULL",
    })
    void castsConvertLikePostgres(String expr, String expected) {
        assertThat(show(eval(expr))).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = ';', value = {
        "CAST('1.5' AS INTEGER); invalid input syntax for type integer: \"1.5\"",
        "CAST(s AS NUMERIC); invalid input syntax for type numeric: \"  Apple \"",
        "CAST('maybe' AS BOOLEAN); invalid input syntax for type boolean: \"maybe\"",
        "CAST('31.01.2024' AS DATE); invalid input syntax for type date: \"31.01.2024\"",
        "CAST(big AS INTEGER); integer out of range",
        "CAST(123.456 AS NUMERIC(4,2)); numeric field overflow",
        "CAST(day AS INTEGER); cannot cast type date to integer",
        "CAST(b AS NUMERIC); cannot cast type boolean to numeric",
        "CAST(big AS BOOLEAN); cannot cast type bigint to boolean",
        "ROUND(f, 1); function round(double precision, integer) does not exist",
        "LENGTH(i); function length(integer) does not exist",
        "SUBSTRING(s, 1, -1); negative substring length not allowed",
        "i || 1; operator does not exist: integer || integer",
        "EXTRACT(YEAR FROM s); function pg_catalog.extract(unknown, text) does not exist",
        "ABS(s); function abs(text) does not exist",
        "LOWER(i); function lower(integer) does not exist",
        "ABS(-2147483647 - 1); integer out of range",
    })
    void errorsAreThoseOfPostgres(String expr, String message) {
        assertThatThrownBy(() -> eval(expr)).isInstanceOf(TributaryException.class).hasMessageStartingWith(message);
    }

    @Test
    void aCastOfAParameterConvertsTheBoundValue() {
        assertThat(eval("CAST(? AS NUMERIC(4,1))")).isEqualTo(new BigDecimal("3.0"));
        assertThat(eval("SUBSTRING(s, ?, 2)")).isEqualTo("Ap");
    }
}
