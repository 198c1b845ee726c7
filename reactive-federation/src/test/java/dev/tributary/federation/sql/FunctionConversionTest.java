package dev.tributary.federation.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.UnsupportedSqlException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The front end turns scalar functions, casts and {@code ||} into {@link Expr.Call}s and {@link Expr.Cast}s. */
class FunctionConversionTest {

    private static final Expr X = new Expr.Column(null, "x", 0, 0);
    private static final Expr Y = new Expr.Column(null, "y", 0, 0);

    private static Expr parse(String expr) {
        SelectQuery q = SqlFrontEnd.parse("SELECT " + expr + " FROM t");
        return ((SelectQuery.ExprItem) q.items().get(0)).expr();
    }

    private static Expr.Literal lit(Object v) {
        return new Expr.Literal(v);
    }

    @Test
    void numericFunctionsKeepTheirArguments() {
        assertThat(parse("abs(x)")).isEqualTo(new Expr.Call("ABS", List.of(X)));
        assertThat(parse("ROUND(x)")).isEqualTo(new Expr.Call("ROUND", List.of(X)));
        assertThat(parse("ROUND(x, -2)")).isEqualTo(new Expr.Call("ROUND", List.of(X, lit(-2))));
    }

    @Test
    void bothSubstringFormsAndSubstrBecomeTheSameCall() {
        Expr.Call threeArgs = new Expr.Call("SUBSTRING", List.of(X, lit(2), lit(3)));
        assertThat(parse("SUBSTRING(x FROM 2 FOR 3)")).isEqualTo(threeArgs);
        assertThat(parse("SUBSTRING(x, 2, 3)")).isEqualTo(threeArgs);
        assertThat(parse("substr(x, 2, 3)")).isEqualTo(threeArgs);
        assertThat(parse("SUBSTRING(x FROM y)")).isEqualTo(new Expr.Call("SUBSTRING", List.of(X, Y)));
    }

    @Test
    void lengthAndItsStandardSpellingsBecomeLength() {
        Expr.Call length = new Expr.Call("LENGTH", List.of(X));
        assertThat(parse("LENGTH(x)")).isEqualTo(length);
        assertThat(parse("CHAR_LENGTH(x)")).isEqualTo(length);
        assertThat(parse("character_length(x)")).isEqualTo(length);
    }

    @Test
    void trimCarriesItsSideAndCharacter() {
        assertThat(parse("TRIM(x)")).isEqualTo(new Expr.Call("TRIM", List.of(lit("BOTH"), lit(" "), X)));
        assertThat(parse("TRIM(LEADING FROM x)")).isEqualTo(new Expr.Call("TRIM", List.of(lit("LEADING"), lit(" "), X)));
        assertThat(parse("TRIM(TRAILING 'x' FROM x)"))
                .isEqualTo(new Expr.Call("TRIM", List.of(lit("TRAILING"), lit("x"), X)));
        assertThat(parse("TRIM('-' FROM x)")).isEqualTo(new Expr.Call("TRIM", List.of(lit("BOTH"), lit("-"), X)));
    }

    @Test
    void concatFunctionAndOperatorStayDistinct() {
        assertThat(parse("CONCAT(x, 'a', y)")).isEqualTo(new Expr.Call("CONCAT", List.of(X, lit("a"), Y)));
        assertThat(parse("x || 'a' || y")).isEqualTo(new Expr.Call("CONCAT_OP", List.of(
                new Expr.Call("CONCAT_OP", List.of(X, lit("a"))), Y)));
    }

    @Test
    void extractNamesItsFieldAsALiteral() {
        assertThat(parse("EXTRACT(year FROM x)")).isEqualTo(new Expr.Call("EXTRACT", List.of(lit("YEAR"), X)));
        assertThat(parse("EXTRACT(MONTH FROM x)")).isEqualTo(new Expr.Call("EXTRACT", List.of(lit("MONTH"), X)));
        assertThat(parse("EXTRACT(DAY FROM x)")).isEqualTo(new Expr.Call("EXTRACT", List.of(lit("DAY"), X)));
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = ';', value = {
        "CAST(x AS INTEGER); INTEGER", "CAST(x AS int); INTEGER", "CAST(x AS int4); INTEGER",
        "CAST(x AS bigint); BIGINT", "CAST(x AS int8); BIGINT",
        "CAST(x AS DECIMAL(10, 2)); NUMERIC(10,2)", "CAST(x AS numeric(5)); NUMERIC(5,0)", "CAST(x AS NUMERIC); NUMERIC",
        "CAST(x AS varchar); VARCHAR", "CAST(x AS character varying(3)); VARCHAR(3)", "CAST(x AS text); TEXT",
        "CAST(x AS date); DATE", "CAST(x AS timestamp); TIMESTAMP", "CAST(x AS timestamp without time zone); TIMESTAMP",
        "CAST(x AS double precision); DOUBLE PRECISION", "CAST(x AS float8); DOUBLE PRECISION",
        "CAST(x AS boolean); BOOLEAN", "x::numeric(12,4); NUMERIC(12,4)",
    })
    void castTypesAreNormalised(String sql, String type) {
        assertThat(parse(sql)).isEqualTo(new Expr.Cast(X, type));
    }

    @Test
    void castsAndCallsNestInsideOtherExpressions() {
        Expr e = parse("ROUND(CAST(x AS numeric) / 3, 2) + LENGTH(TRIM(y))");
        assertThat(e).isEqualTo(new Expr.Binary(Expr.BinaryOp.ADD,
                new Expr.Call("ROUND", List.of(new Expr.Binary(Expr.BinaryOp.DIV, new Expr.Cast(X, "NUMERIC"), lit(3)), lit(2))),
                new Expr.Call("LENGTH", List.of(new Expr.Call("TRIM", List.of(lit("BOTH"), lit(" "), Y))))));
        assertThat(e.children()).hasSize(2);
        Expr rewritten = new Expr.Cast(X, "DATE").rewrite(n -> n.equals(X) ? Y : n);
        assertThat(rewritten).isEqualTo(new Expr.Cast(Y, "DATE"));
        assertThat(rewritten.children()).containsExactly(Y);
    }

    @Test
    void dateAndTimestampLiteralsBecomeJavaTimeValues() {
        assertThat(parse("DATE '2024-01-31'")).isEqualTo(lit(LocalDate.of(2024, 1, 31)));
        assertThat(parse("TIMESTAMP '2024-01-31 10:00:00'")).isEqualTo(lit(LocalDateTime.of(2024, 1, 31, 10, 0)));
        assertThat(parse("x >= DATE '2024-01-01'")).isEqualTo(
                new Expr.Binary(Expr.BinaryOp.GE, X, lit(LocalDate.of(2024, 1, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', value = {
        "EXTRACT(DOW FROM x); EXTRACT(DOW FROM ...); only YEAR, MONTH and DAY are supported",
        "CAST(x AS interval); CAST to interval",
        "CAST(x AS char(3)); CAST to char (3)",
        "TRIM(BOTH 'ab' FROM x); TRIM of characters other than one literal character ('ab')",
        "TRIM(LEADING y FROM x); TRIM of characters other than one literal character (y)",
        "ROUND(x, 1, 2); ROUND with 3 arguments",
        "LENGTH(x, y); LENGTH with 2 arguments",
        "SUBSTRING(x); SUBSTRING with 1 arguments",
        "md5(x); function md5",
    })
    void unsupportedFormsAreRefusedByName(String sql, String construct) {
        assertThatThrownBy(() -> parse(sql)).isInstanceOfSatisfying(UnsupportedSqlException.class, e -> {
            assertThat(e.construct()).startsWith(construct);
            assertThat(e.line()).isEqualTo(1);
            assertThat(e.column()).isPositive();
        });
    }
}
