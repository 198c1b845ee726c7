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
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** In-memory evaluation follows PostgreSQL: three-valued logic, NULL propagation, integer arithmetic. */
class ExpressionCompilerTest {

    private static final List<Expr> LAYOUT = List.of(new Expr.Ref(0, 0), new Expr.Ref(0, 1), new Expr.Ref(0, 2));
    private static final Row ROW = Row.of(Columns.of("i", "n", "s"), 7, null, "Apple");

    /** Evaluates {@code expr} with a = 7 (INT), n = NULL, s = 'Apple'. */
    private static Object eval(String expr) {
        SelectQuery q = SqlFrontEnd.parse("SELECT " + expr + " FROM t");
        Expr e = ((SelectQuery.ExprItem) q.items().get(0)).expr().rewrite(x -> x instanceof Expr.Column c
                ? new Expr.Ref(0, switch (c.name()) { case "a" -> 0; case "n" -> 1; default -> 2; }) : x);
        return ExpressionCompiler.compile(e, LAYOUT, p -> 10).evaluate(ROW);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = ';', nullValues = "NULL", value = {
        "n = 1 AND 1 = 0; false",
        "n = 1 AND 1 = 1; NULL",
        "n = 1 OR 1 = 1; true",
        "n = 1 OR 1 = 0; NULL",
        "NOT (n = 1); NULL",
        "a IN (1, 7); true",
        "a IN (1, n); NULL",
        "a NOT IN (1, n); NULL",
        "a NOT IN (1, 2); true",
        "a BETWEEN 1 AND 10; true",
        "a BETWEEN n AND 5; false",
        "a BETWEEN n AND 10; NULL",
        "s LIKE 'A%e'; true",
        "s NOT LIKE '_pple'; false",
        "n LIKE 'x'; NULL",
        "n IS NULL; true",
        "s IS NOT NULL; true",
        "a / 2; 3",
        "a % 4; 3",
        "-a * 2 + 1; -13",
        "a + n; NULL",
        "a = 7.0; true",
        "a > ?; false",
        "COALESCE(n, a, 1); 7",
        "LOWER(s); apple",
        "UPPER(n); NULL",
        "CASE WHEN n = 1 THEN 'x' WHEN a > 3 THEN 'y' END; y",
        "CASE a WHEN 1 THEN 'one' ELSE 'other' END; other",
        "CASE n WHEN 1 THEN 'one' END; NULL",
    })
    void evaluatesLikePostgres(String expr, String expected) {
        Object v = eval(expr);
        assertThat(v == null ? null : String.valueOf(v instanceof BigDecimal d ? d.stripTrailingZeros().toPlainString() : v))
                .isEqualTo(expected);
    }

    @ParameterizedTest
    @CsvSource({"a / 0", "s + 1"})
    void errorsAreTributaryExceptions(String expr) {
        assertThatThrownBy(() -> eval(expr)).isInstanceOf(TributaryException.class);
    }
}
