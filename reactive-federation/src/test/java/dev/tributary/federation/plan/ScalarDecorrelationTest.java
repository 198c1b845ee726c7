package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.Plan;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;

/** Correlated scalar subqueries over another database, decorrelated by {@link ScalarDecorrelation}. */
class ScalarDecorrelationTest {

    private final Catalog catalog = TestCatalogs.shop();

    private Plan explain(String sql) {
        return Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, 10_000));
    }

    @Test
    void aCorrelatedAggregateInWhereIsGroupedByItsKeyAtTheSourceAndLeftJoined() {
        Plan plan = explain("SELECT c.id FROM customers c"
                + " WHERE c.id > (SELECT 0.2 * AVG(o.amount) FROM orders o WHERE o.customer_id = c.id AND o.status = 'x')");
        Plan.Join join = plan.joins().get(0);
        assertThat(join.type()).isEqualTo("LEFT");
        assertThat(join.keys()).containsExactly("c.ID = subquery.k1");
        Plan.Fragment pg = plan.fragments().get(1);
        assertThat(pg.sql()).isEqualTo("SELECT \"subquery\".\"k1\", \"subquery\".\"a1\" FROM (SELECT \"o\".\"customer_id\""
                + " AS \"k1\", AVG(\"o\".\"amount\") AS \"a1\" FROM \"orders\" \"o\" WHERE \"o\".\"status\" = E'x'"
                + " GROUP BY \"o\".\"customer_id\") \"subquery\" WHERE \"subquery\".\"k1\" = ANY($1)");
        assertThat(plan.toString()).contains("Filter c.ID > (0.2 * subquery.a1)");
    }

    @Test
    void aCountReadsZeroForAnOuterRowWithoutAGroup() {
        Plan plan = explain("SELECT c.id, (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id) AS n,"
                + " (SELECT MAX(o.amount) FROM orders o WHERE o.customer_id = c.id) AS top FROM customers c");
        assertThat(plan.toString()).contains("Project [c.ID AS id, COALESCE(subquery.a1, 0) AS n, subquery.a1 AS top]");
        assertThat(plan.joins()).hasSize(2).allSatisfy(j -> assertThat(j.type()).isEqualTo("LEFT"));
    }

    @Test
    void twoCorrelationKeysGroupByBothAndASubqueryAcrossDatabasesAggregatesInMemory() {
        Plan plan = explain("SELECT o.id FROM orders o JOIN customers c ON c.id = o.customer_id"
                + " WHERE o.amount > (SELECT SUM(l.qty) FROM order_lines l, products p"
                + " WHERE l.order_id = o.id AND l.product_id = c.id AND p.id = l.product_id)");
        String text = plan.toString();
        assertThat(text).contains("keys o.id = subquery.k1 AND c.ID = subquery.k2")
                .contains("Aggregate group by [l.order_id, l.product_id] compute [SUM(l.qty)]");
    }

    @Test
    void aCorrelatedSubqueryInTheOuterTablesDatabaseStaysInItsFragment() {
        Plan plan = explain("SELECT o.id, c.name FROM orders o JOIN customers c ON c.id = o.customer_id"
                + " WHERE o.amount > (SELECT AVG(o2.amount) FROM orders o2 WHERE o2.customer_id = o.customer_id)");
        assertThat(plan.joins()).hasSize(1);
        assertThat(plan.fragments().get(0).sql()).contains("(SELECT AVG(\"o2\".\"amount\") AS \"avg\" FROM \"orders\" \"o2\"");
    }

    @Test
    void inAGroupedQueryASubqueryCorrelatedOnAGroupKeyIsJoinedBeforeGroupingAndGroupedBy() {
        Plan plan = explain("SELECT c.country, COUNT(*) AS n FROM customers c GROUP BY c.country"
                + " HAVING COUNT(*) > (SELECT COUNT(*) FROM orders o WHERE o.status = c.country)");
        assertThat(plan.toString())
                .contains("Filter COUNT(*) > COALESCE(subquery.a1, 0)")
                .contains("Aggregate group by [c.COUNTRY, subquery.k1, subquery.a1] compute [COUNT(*)]")
                .contains("HashJoin LEFT");
    }

    @Test
    void shapesThatCannotBeDecorrelatedAreRefusedWithWhatToDo() {
        assertThatThrownBy(() -> explain("SELECT c.id FROM customers c WHERE c.id = (SELECT o.id FROM orders o"
                + " WHERE o.customer_id = c.id)"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("correlated scalar subquery that is not one aggregate");
        assertThatThrownBy(() -> explain("SELECT c.id FROM customers c WHERE c.id > (SELECT COUNT(*) FROM orders o"
                + " WHERE o.amount > c.id)"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("correlated subquery condition other than an equality");
        assertThatThrownBy(() -> explain("SELECT c.country, (SELECT MAX(o.amount) FROM orders o"
                + " WHERE o.customer_id = MIN(c.id)) FROM customers c GROUP BY c.country"))
                .isInstanceOf(UnsupportedSqlException.class);
        assertThatThrownBy(() -> explain("SELECT c.country, COUNT(*) FROM customers c GROUP BY c.country"
                + " HAVING COUNT(*) > (SELECT COUNT(*) FROM orders o WHERE o.customer_id = c.id)"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("whose correlation is not on GROUP BY expressions");
        assertThatThrownBy(() -> explain("SELECT c.id FROM customers c WHERE c.id > (SELECT SUM(o.amount + c.id)"
                + " FROM orders o WHERE o.customer_id = c.id)"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("inside an aggregate");
    }
}
