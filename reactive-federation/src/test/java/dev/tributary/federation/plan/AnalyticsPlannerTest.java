package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.Plan;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;

/** What the planner pushes down for aggregates, subqueries, derived tables and UNION, and what it refuses. */
class AnalyticsPlannerTest {

    private final Catalog catalog = TestCatalogs.shop();

    private Plan explain(String sql) {
        return Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, 10_000));
    }

    @Test
    void aGroupedQueryOverOneDatabaseIsSentWholeWithItsAggregatesAndHaving() {
        Plan plan = explain("SELECT status, COUNT(*) AS n, SUM(amount) FROM orders GROUP BY status"
                + " HAVING COUNT(*) > 1 ORDER BY n DESC LIMIT 3");
        assertThat(plan.pushedWhole()).isTrue();
        assertThat(plan.fragments().get(0).sql()).isEqualTo("SELECT \"orders\".\"status\", COUNT(*) AS \"n\","
                + " SUM(\"orders\".\"amount\") AS \"sum\" FROM \"orders\" \"orders\" GROUP BY \"orders\".\"status\""
                + " HAVING COUNT(*) > 1 ORDER BY 2 DESC LIMIT 3");
    }

    @Test
    void aGroupedQueryAcrossDatabasesAggregatesInMemoryOverTheJoin() {
        Plan plan = explain("SELECT c.country, SUM(o.amount) FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " GROUP BY c.country");
        assertThat(plan.toString()).contains("Aggregate group by [c.COUNTRY] compute [SUM(o.amount)]")
                .contains("HashJoin INNER");
        assertThat(plan.fragments()).extracting(Plan.Fragment::sql).noneMatch(sql -> sql.contains("GROUP BY"));
    }

    @Test
    void orderByWithLimitRunsAsTopN() {
        Plan plan = explain("SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " ORDER BY o.amount DESC LIMIT 10");
        assertThat(plan.toString()).contains("TopN [o.amount DESC NULLS FIRST] limit 10").doesNotContain("Sort");
    }

    @Test
    void aDerivedTableOfOneDatabaseIsRenderedInsideItsFragment() {
        Plan plan = explain("SELECT c.name, t.total FROM customers c JOIN (SELECT customer_id, SUM(amount) AS total"
                + " FROM orders GROUP BY customer_id) t ON t.customer_id = c.id");
        assertThat(plan.fragments()).anySatisfy(f -> assertThat(f.sql()).contains("FROM (SELECT \"orders\".\"customer_id\","
                + " SUM(\"orders\".\"amount\") AS \"total\" FROM \"orders\" \"orders\" GROUP BY \"orders\".\"customer_id\") \"t\""));
        assertThat(plan.joins()).singleElement().satisfies(j -> assertThat(j.dynamicFilter()).isTrue());
    }

    @Test
    void anInSubqueryOfAnotherDatabaseBecomesASemiJoinThatFiltersTheSubquery() {
        Plan plan = explain("SELECT c.name FROM customers c WHERE c.country = 'DE' AND c.id IN"
                + " (SELECT o.customer_id FROM orders o WHERE o.amount > 100)");
        Plan.Join join = plan.joins().get(0);
        assertThat(join.type()).isEqualTo("SEMI");
        assertThat(join.buildSide()).isEqualTo("LEFT");
        assertThat(join.dynamicFilter()).isTrue();
        assertThat(plan.fragments().get(1).sql()).contains("= ANY($");
    }

    @Test
    void aCorrelatedNotExistsBecomesAnAntiJoinOnTheCorrelationKey() {
        Plan plan = explain("SELECT c.id FROM customers c WHERE NOT EXISTS"
                + " (SELECT 1 FROM orders o WHERE o.customer_id = c.id AND o.status = 'open')");
        Plan.Join join = plan.joins().get(0);
        assertThat(join.type()).isEqualTo("ANTI");
        assertThat(join.keys()).containsExactly("c.ID = subquery.k1");
        assertThat(plan.fragments().get(1).sql()).contains("\"o\".\"status\" = $1").doesNotContain("\"c\"");
    }

    @Test
    void aSubqueryInTheSameDatabaseAsItsTableIsPushedIntoThatFragment() {
        Plan plan = explain("SELECT c.name, o.id FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE EXISTS (SELECT 1 FROM order_lines l WHERE l.order_id = o.id AND l.qty > 5)");
        assertThat(plan.joins()).hasSize(1);
        assertThat(plan.fragments().get(1).sql()).contains("EXISTS (SELECT 1 FROM \"order_lines\" \"l\""
                + " WHERE \"l\".\"order_id\" = \"o\".\"id\" AND \"l\".\"qty\" > $1)");
    }

    @Test
    void anUncorrelatedScalarSubqueryOfAnotherDatabaseRunsFirstAndIsBound() {
        Plan plan = explain("SELECT o.id FROM orders o WHERE o.amount > (SELECT MAX(p.price) FROM products p)");
        assertThat(plan.root()).isInstanceOf(Plan.Multi.class);
        assertThat(plan.toString()).contains("Subqueries [:#subquery1 = value]");
        assertThat(plan.fragments().get(1).binds()).containsExactly(":#subquery1");
    }

    @Test
    void aUnionAcrossDatabasesReadsBothBranchesAndAUnionInOneDatabaseIsSentWhole() {
        Plan across = explain("SELECT name FROM customers UNION ALL SELECT name FROM products");
        assertThat(across.root().toString()).isNotEmpty();
        assertThat(across.toString()).contains("UnionAll");
        assertThat(across.fragments()).hasSize(2);
        Plan inOne = explain("SELECT id FROM orders UNION SELECT order_id FROM order_lines");
        assertThat(inOne.pushedWhole()).isTrue();
        assertThat(inOne.fragments().get(0).sql()).contains(" UNION SELECT ");
    }

    @Test
    void aCorrelatedConditionOtherThanEqualityAcrossDatabasesIsRefusedWithAHint() {
        assertThatThrownBy(() -> explain("SELECT c.id FROM customers c WHERE EXISTS"
                + " (SELECT 1 FROM orders o WHERE o.customer_id > c.id)"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("correlated subquery condition other than an equality")
                .hasMessageContaining("inner.col = outer.col");
    }

    @Test
    void aColumnNeitherGroupedNorAggregatedIsRefused() {
        assertThatThrownBy(() -> explain("SELECT c.country, c.name, COUNT(*) FROM customers c GROUP BY c.country"))
                .isInstanceOf(UnsupportedSqlException.class)
                .hasMessageContaining("c.NAME must appear in the GROUP BY clause or be used in an aggregate function");
    }

    @Test
    void anAggregateInWhereIsRefused() {
        assertThatThrownBy(() -> explain("SELECT c.id FROM customers c WHERE COUNT(*) > 1"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("aggregate function in WHERE")
                .hasMessageContaining("HAVING");
    }

    @Test
    void unionBranchesMustHaveTheSameNumberOfColumns() {
        assertThatThrownBy(() -> explain("SELECT id, name FROM customers UNION SELECT id FROM products"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("same number of columns (2 and 1)");
    }

    @Test
    void aScalarSubqueryMustHaveOneColumn() {
        assertThatThrownBy(() -> explain("SELECT o.id FROM orders o WHERE o.amount > (SELECT id, price FROM products)"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("a scalar subquery must return one column");
    }
}
