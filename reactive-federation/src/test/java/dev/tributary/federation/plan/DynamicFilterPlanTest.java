package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.tributary.federation.Plan;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;

/** Dynamic filters on every key of a multi-key join, and through chains of joins. */
class DynamicFilterPlanTest {

    private final Catalog catalog = TestCatalogs.shop();

    private Plan explain(String sql) {
        return Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, 10_000));
    }

    @Test
    void aTwoKeyJoinFiltersPostgresqlOnEachKeyWithAnArray() {
        Plan plan = explain("SELECT c.name, o.amount FROM customers.customers c JOIN orders.orders o "
                + "ON o.customer_id = c.id AND o.status = c.segment WHERE c.country = 'DE'");
        assertThat(plan.joins().get(0).keys()).containsExactly("c.ID = o.customer_id", "c.SEGMENT = o.status");
        Plan.Fragment pg = plan.fragments().get(1);
        assertThat(pg.sql()).isEqualTo("SELECT \"o\".\"customer_id\", \"o\".\"amount\", \"o\".\"status\""
                + " FROM \"orders\" \"o\" WHERE \"o\".\"customer_id\" = ANY($1) AND \"o\".\"status\" = ANY($2)");
        assertThat(pg.binds()).containsExactly("<Long[] of the keys of join#1 c x o, key column 1>",
                "<String[] of the keys of join#1 c x o, key column 2>");
    }

    @Test
    void aTwoKeyJoinFiltersOtherDatabasesWithRowValues() {
        Plan plan = explain("SELECT c.name, r.region FROM customers.customers c JOIN geo.regions r "
                + "ON c.country = r.country AND c.name = r.region");
        Plan.Fragment h2 = plan.fragments().get(0);
        assertThat(h2.sql()).isEqualTo("SELECT \"c\".\"NAME\", \"c\".\"COUNTRY\" FROM \"CUSTOMERS\" \"c\""
                + " WHERE (\"c\".\"COUNTRY\", \"c\".\"NAME\") IN (($1, $2))");
        assertThat(h2.binds()).containsExactly("<key tuples of join#1 c x r, 2 markers each, batched>",
                "<key 1 column 2 of join#1 c x r>");
    }

    @Test
    void aJoinAboveAnotherFiltersTheFragmentUnderBoth() {
        Plan plan = explain("SELECT c.name, l.qty, p.name FROM customers.customers c, orders.orders o, "
                + "orders.order_lines l, products.products p WHERE l.order_id = o.id AND c.id = o.customer_id "
                + "AND p.id = l.product_id AND c.country = 'DE' AND p.price > 10");
        assertThat(plan.joins()).extracting(Plan.Join::name, Plan.Join::dynamicFilter)
                .containsExactlyInAnyOrder(tuple("join#2 c+o+l x p", true), tuple("join#1 c x o+l", true));
        Plan.Fragment facts = plan.fragments().get(1);
        assertThat(facts.dynamicFilter()).isEqualTo("join#1 c x o+l and join#2 c+o+l x p");
        assertThat(facts.sql()).endsWith(" WHERE \"o\".\"customer_id\" = ANY($1) AND \"l\".\"product_id\" = ANY($2)");
    }

    @Test
    void aChainPassesTheNullSuppliedSideOfALeftJoin() {
        // a row of o that the upper join's keys remove could only have reached it, or its NULL-padded
        // customer row, with a key that the inner join drops
        Plan plan = explain("SELECT c.name, o.amount, p.name FROM customers.customers c "
                + "LEFT JOIN orders.orders o ON o.customer_id = c.id "
                + "JOIN products.products p ON p.id = o.id WHERE p.price > 10");
        assertThat(plan.fragments().get(1).dynamicFilter()).isEqualTo("join#1 c x o and join#2 c+o x p");
    }
}
