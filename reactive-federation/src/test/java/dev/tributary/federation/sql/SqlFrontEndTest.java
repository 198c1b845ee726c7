package dev.tributary.federation.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.UnsupportedSqlException;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class SqlFrontEndTest {

    @Test
    void parsesJoinsWhereOrderAndLimitIntoTheModel() {
        SelectQuery q = SqlFrontEnd.parse("SELECT DISTINCT c.name AS n, o.amount * 2, UPPER(c.city) "
                + "FROM customers.customers c JOIN orders.orders o ON o.customer_id = c.id "
                + "LEFT JOIN products p ON p.id = o.pid AND p.price > 1.5 "
                + "WHERE c.country IN ('DE', 'FR') AND o.amount BETWEEN ? AND ? OR c.name LIKE 'A%' "
                + "ORDER BY n DESC NULLS LAST, 2 LIMIT 10 OFFSET 5");
        assertThat(q.distinct()).isTrue();
        assertThat(q.items()).hasSize(3);
        assertThat(((SelectQuery.ExprItem) q.items().get(0)).alias()).isEqualTo("n");
        assertThat(q.relations()).extracting(SelectQuery.Relation::kind)
                .containsExactly(SelectQuery.JoinKind.FROM, SelectQuery.JoinKind.INNER, SelectQuery.JoinKind.LEFT);
        assertThat(q.relations().get(0).schema()).isEqualTo("customers");
        assertThat(q.relations().get(2).on()).isInstanceOf(Expr.Binary.class);
        assertThat(Expr.conjuncts(q.relations().get(2).on())).hasSize(2);
        assertThat(q.where()).isInstanceOf(Expr.Binary.class);
        assertThat(((Expr.Binary) q.where()).op()).isEqualTo(Expr.BinaryOp.OR);
        assertThat(q.orderBy()).hasSize(2);
        assertThat(q.orderBy().get(0).descending()).isTrue();
        assertThat(q.orderBy().get(0).nullsFirst()).isFalse();
        assertThat(q.limit()).isEqualTo(new Expr.Literal(10L));
        assertThat(q.offset()).isEqualTo(new Expr.Literal(5L));
        assertThat(q.positionalParams()).isEqualTo(2);
    }

    @Test
    void positionalParametersAreNumberedInTheOrderOfTheText() {
        SelectQuery q = SqlFrontEnd.parse("SELECT c.id + ? AS x FROM (SELECT id FROM customers WHERE id > ?) c"
                + " JOIN orders o ON o.customer_id = c.id AND o.id > ? WHERE c.id < ? LIMIT ?");
        assertThat(((SelectQuery.ExprItem) q.items().get(0)).expr())
                .isEqualTo(new Expr.Binary(Expr.BinaryOp.ADD, new Expr.Column("c", "id", 1, 8), new Expr.Param(0, null)));
        assertThat(((SelectQuery) q.relations().get(0).subquery()).where())
                .isEqualTo(new Expr.Binary(Expr.BinaryOp.GT, new Expr.Column(null, "id", 1, 71), new Expr.Param(1, null)));
        assertThat(Expr.conjuncts(q.relations().get(1).on()).get(1))
                .isEqualTo(new Expr.Binary(Expr.BinaryOp.GT, new Expr.Column("o", "id", 1, 127), new Expr.Param(2, null)));
        assertThat(q.where())
                .isEqualTo(new Expr.Binary(Expr.BinaryOp.LT, new Expr.Column("c", "id", 1, 142), new Expr.Param(3, null)));
        assertThat(q.limit()).isEqualTo(new Expr.Param(4, null));
        assertThat(q.positionalParams()).isEqualTo(5);
    }

    @Test
    void aWithQueryReferencedTwiceUsesItsParameterOnce() {
        SelectQuery q = SqlFrontEnd.parse("WITH big AS (SELECT id FROM orders WHERE amount > ?)"
                + " SELECT a.id FROM big a JOIN big b ON b.id = a.id WHERE a.id < ?");
        assertThat(q.positionalParams()).isEqualTo(2);
        assertThat(((Expr.Binary) q.where()).right()).isEqualTo(new Expr.Param(1, null));
    }

    @Test
    void substringTakesAnExpressionAsItsFirstArgument() {
        SelectQuery q = SqlFrontEnd.parse("SELECT SUBSTRING(UPPER(c.name), 1, 3) FROM customers c");
        assertThat(((SelectQuery.ExprItem) q.items().get(0)).expr()).isInstanceOf(Expr.Call.class);
    }

    @Test
    void literalsKeepTheirSqlTypes() {
        SelectQuery q = SqlFrontEnd.parse("SELECT 1, 3000000000, 2.50, 'it''s', NULL, TRUE, -7, DATE '2024-01-31' FROM t");
        List<Object> values = q.items().stream().map(i -> ((Expr.Literal) ((SelectQuery.ExprItem) i).expr()).value()).toList();
        assertThat(values).containsExactly(1, 3000000000L, new BigDecimal("2.50"), "it's", null, true, -7,
                java.time.LocalDate.of(2024, 1, 31));
    }

    @Test
    void commaJoinsAndCaseAndCoalesceAreSupported() {
        SelectQuery q = SqlFrontEnd.parse("SELECT CASE WHEN a.x > 1 THEN 'big' ELSE 'small' END, "
                + "CASE a.y WHEN 1 THEN 'one' END, COALESCE(a.z, b.z, 0), LOWER(b.n) "
                + "FROM a, b WHERE a.id = b.id AND a.v IS NOT NULL AND NOT (a.w <> 3)");
        assertThat(q.relations().get(1).kind()).isEqualTo(SelectQuery.JoinKind.CROSS);
        assertThat(((SelectQuery.ExprItem) q.items().get(0)).expr()).isInstanceOf(Expr.Case.class);
        assertThat(((SelectQuery.ExprItem) q.items().get(2)).expr()).isEqualTo(new Expr.Call("COALESCE",
                List.of(new Expr.Column("a", "z", 0, 0), new Expr.Column("b", "z", 0, 0), new Expr.Literal(0))));
        assertThat(Expr.conjuncts(q.where())).hasSize(3);
    }

    @ParameterizedTest
    @MethodSource("precedence")
    void inListsKeepSqlPrecedenceDespiteTheParser(String written, String parenthesized) {
        assertThat(SqlFrontEnd.parse("SELECT x FROM t WHERE " + written).where())
                .isEqualTo(SqlFrontEnd.parse("SELECT x FROM t WHERE " + parenthesized).where());
    }

    static Stream<Arguments> precedence() {
        return Stream.of(
                Arguments.of("a IN (1, 2) AND b = 1", "(a IN (1, 2)) AND b = 1"),
                Arguments.of("x = 1 AND a IN (1, 2) OR b = 2", "(x = 1 AND (a IN (1, 2))) OR b = 2"),
                Arguments.of("x = 1 OR a IN (1, 2) AND b = 2", "x = 1 OR ((a IN (1, 2)) AND b = 2)"),
                Arguments.of("NOT a IN (1, 2) AND b = 1", "(NOT (a IN (1, 2))) AND b = 1"),
                Arguments.of("a IN (1, 2) AND b NOT IN (3, 4) OR c = 1", "((a IN (1, 2)) AND (b NOT IN (3, 4))) OR c = 1"),
                Arguments.of("NOT (a = 1 AND b = 2) AND c IN (5) OR d = 1", "((NOT (a = 1 AND b = 2)) AND (c IN (5))) OR d = 1"));
    }

    @Test
    void namedParametersAreCollectedInOrderOfFirstUse() {
        SelectQuery q = SqlFrontEnd.parse("SELECT * FROM t WHERE a = :min OR b = :max OR c = :min");
        assertThat(q.namedParams()).containsExactly("min", "max");
        assertThat(q.positionalParams()).isZero();
    }

    @Test
    void orderByAndLimitAfterTheLastUnionBranchApplyToTheWholeUnion() {
        SelectQuery q = SqlFrontEnd.parse("SELECT a FROM t UNION ALL SELECT b FROM u ORDER BY 1 LIMIT 10");
        assertThat(q.limit()).isEqualTo(new Expr.Literal(10L));
        assertThat(q.orderBy()).hasSize(1);
        SetQuery union = (SetQuery) q.relations().get(0).subquery();
        assertThat(((SelectQuery) union.right()).limit()).isNull();
        assertThat(((SelectQuery) union.right()).orderBy()).isEmpty();
        SelectQuery branchLimit = SqlFrontEnd.parse("SELECT a FROM t UNION ALL (SELECT b FROM u LIMIT 2)");
        assertThat(branchLimit.limit()).isNull();
    }

    static Stream<Arguments> unsupported() {
        return Stream.of(
            Arguments.of("SELECT a FROM t INTERSECT SELECT a FROM u", "INTERSECT", 1, 17),
            Arguments.of("SELECT a FROM t\nEXCEPT SELECT a FROM u", "EXCEPT", 2, 1),
            Arguments.of("WITH RECURSIVE x AS (SELECT a FROM t) SELECT * FROM x", "WITH RECURSIVE", 1, null),
            Arguments.of("SELECT a, count(*) FROM t GROUP BY GROUPING SETS ((a), ())", "GROUPING SETS", 1, null),
            Arguments.of("SELECT DISTINCT ON (a) a FROM t", "DISTINCT ON", 1, 8),
            Arguments.of("SELECT a, rank() OVER (ORDER BY a) FROM t", "window function rank", 1, null),
            Arguments.of("SELECT md5(a) FROM t", "function md5", 1, 8),
            Arguments.of("SELECT a FROM t NATURAL JOIN u", "NATURAL JOIN", 1, 17),
            Arguments.of("SELECT a FROM t JOIN u USING (id)", "JOIN ... USING", 1, 24),
            Arguments.of("SELECT a FROM t WHERE a ILIKE 'x'", "ILIKE", 1, null));
    }

    @ParameterizedTest(name = "{1}")
    @MethodSource("unsupported")
    void unsupportedConstructsAreNamedWithTheirPosition(String sql, String construct, int line, Integer column) {
        assertThatThrownBy(() -> SqlFrontEnd.parse(sql))
                .isInstanceOfSatisfying(UnsupportedSqlException.class, e -> {
                    assertThat(e.construct()).isEqualToIgnoringCase(construct);
                    assertThat(e.line()).isEqualTo(line);
                    if (column != null) {
                        assertThat(e.column()).isEqualTo(column);
                    } else {
                        assertThat(e.column()).isPositive();
                    }
                    assertThat(e.getMessage()).containsIgnoringCase(construct).contains("line " + line);
                });
    }

    @Test
    void nonSelectStatementsAreRefusedWithAClearMessage() {
        assertThatThrownBy(() -> SqlFrontEnd.parse("DELETE FROM orders WHERE id = 1"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("DELETE statement")
                .hasMessageContaining("SELECT statements only");
        assertThatThrownBy(() -> SqlFrontEnd.parse("INSERT INTO t VALUES (1)"))
                .hasMessageContaining("INSERT statement");
    }

    @Test
    void syntaxErrorsCarryTheTokenPosition() {
        assertThatThrownBy(() -> SqlFrontEnd.parse("SELECT a FROM b WHERE\n x = = 3"))
                .isInstanceOfSatisfying(UnsupportedSqlException.class, e -> {
                    assertThat(e.line()).isEqualTo(2);
                    assertThat(e.column()).isEqualTo(4);
                    assertThat(e.getMessage()).contains("syntax error");
                });
    }

    @Test
    void mixingParameterStylesIsRefused() {
        assertThatThrownBy(() -> SqlFrontEnd.parse("SELECT * FROM t WHERE a = ? AND b = :b"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("mixing ? and :name");
    }
}
