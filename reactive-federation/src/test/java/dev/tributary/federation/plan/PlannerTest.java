package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.Plan;
import dev.tributary.federation.Query;
import dev.tributary.federation.UnknownColumnException;
import dev.tributary.federation.UnknownTableException;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;

class PlannerTest {

    private final Catalog catalog = TestCatalogs.shop();

    private Plan explain(String sql) {
        return explain(sql, 10_000);
    }

    private Plan explain(String sql, int maxKeys) {
        return Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, maxKeys));
    }

    @Test
    void filterGoesToH2AndDynamicFilterToPostgres() {
        Plan plan = explain("SELECT c.name, o.amount FROM customers.customers c JOIN orders.orders o "
                + "ON o.customer_id = c.id WHERE c.country = 'DE'");
        assertThat(plan.fragments()).hasSize(2);
        Plan.Fragment h2 = plan.fragments().get(0);
        Plan.Fragment pg = plan.fragments().get(1);
        assertThat(h2.database()).isEqualTo("customers");
        assertThat(h2.sql()).isEqualTo("SELECT \"c\".\"ID\", \"c\".\"NAME\" FROM \"CUSTOMERS\" \"c\" WHERE \"c\".\"COUNTRY\" = $1");
        assertThat(h2.binds()).containsExactly("'DE'");
        assertThat(pg.sql()).isEqualTo("SELECT \"o\".\"customer_id\", \"o\".\"amount\" FROM \"orders\" \"o\""
                + " WHERE \"o\".\"customer_id\" = ANY($1)");
        assertThat(pg.dynamicFilter()).isEqualTo(plan.joins().get(0).name());
        Plan.Join join = plan.joins().get(0);
        assertThat(join.type()).isEqualTo("INNER");
        assertThat(join.buildSide()).isEqualTo("LEFT");
        assertThat(join.dynamicFilter()).isTrue();
        assertThat(join.keys()).containsExactly("c.ID = o.customer_id");
        assertThat(plan.toString()).contains("HashJoin INNER").contains("dynamic filter yes")
                .contains("Fragment #1 on customers (H2)");
    }

    @Test
    void aQueryOverOneDatabaseIsSentWhole() {
        Plan plan = explain("SELECT o.id, l.qty AS quantity FROM orders o JOIN order_lines l ON l.order_id = o.id "
                + "WHERE o.amount > 10.5 ORDER BY o.id DESC LIMIT 5");
        assertThat(plan.pushedWhole()).isTrue();
        assertThat(plan.fragments()).singleElement().satisfies(f -> {
            assertThat(f.sql()).isEqualTo("SELECT \"o\".\"id\", \"l\".\"qty\" AS \"quantity\" FROM \"orders\" \"o\""
                    + " JOIN \"order_lines\" \"l\" ON \"l\".\"order_id\" = \"o\".\"id\" WHERE \"o\".\"amount\" > $1"
                    + " ORDER BY \"o\".\"id\" DESC LIMIT $2");
            assertThat(f.binds()).containsExactly("10.5", "5");
        });
    }

    @Test
    void onH2TheWholeQueryStatesPostgresNullOrdering() {
        Plan plan = explain("SELECT name FROM customers ORDER BY name");
        assertThat(plan.fragments().get(0).sql())
                .isEqualTo("SELECT \"customers\".\"NAME\" AS \"name\" FROM \"CUSTOMERS\" \"customers\""
                        + " ORDER BY \"customers\".\"NAME\" ASC NULLS LAST");
    }

    @Test
    void tablesOfOneDatabaseJoinedToEachOtherBecomeOneFragment() {
        Plan plan = explain("SELECT c.name, l.qty FROM customers c JOIN orders o ON o.customer_id = c.id "
                + "JOIN order_lines l ON l.order_id = o.id WHERE l.qty > 2 AND o.status = 'open'");
        assertThat(plan.fragments()).hasSize(2);
        Plan.Fragment pg = plan.fragments().stream().filter(f -> f.database().equals("orders")).findFirst().orElseThrow();
        assertThat(pg.sql()).contains("FROM \"orders\" \"o\" JOIN \"order_lines\" \"l\" ON \"l\".\"order_id\" = \"o\".\"id\"")
                .contains("\"l\".\"qty\" > $").contains("\"o\".\"status\" = $")
                .startsWith("SELECT \"o\".\"customer_id\", \"l\".\"qty\" FROM");
        assertThat(plan.joins()).hasSize(1);
    }

    @Test
    void aPreservedProbeSideGetsNoDynamicFilter() {
        Plan left = explain("SELECT o.id, c.name FROM orders o LEFT JOIN customers c ON c.id = o.customer_id");
        assertThat(left.joins().get(0).buildSide()).isEqualTo("RIGHT");
        assertThat(left.joins().get(0).dynamicFilter()).isFalse();
        Plan preservedBuild = explain("SELECT o.id, c.name FROM customers c LEFT JOIN orders o ON c.id = o.customer_id");
        assertThat(preservedBuild.joins().get(0).buildSide()).isEqualTo("LEFT");
        assertThat(preservedBuild.joins().get(0).dynamicFilter()).isTrue();
        Plan full = explain("SELECT o.id, c.name FROM customers c FULL JOIN orders o ON c.id = o.customer_id");
        assertThat(full.joins().get(0).dynamicFilter()).isFalse();
    }

    @Test
    void aWhereConditionOnTheNullSuppliedSideStaysAboveTheOuterJoin() {
        Plan plan = explain("SELECT c.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id "
                + "AND o.amount > 100 WHERE o.status = 'x' AND c.country = 'DE'");
        assertThat(plan.fragments().get(0).sql()).contains("\"c\".\"COUNTRY\" = $1");
        assertThat(plan.fragments().get(1).sql()).contains("\"o\".\"amount\" > $1").doesNotContain("status\" =");
        assertThat(plan.toString()).contains("Filter o.status = 'x'");
    }

    @Test
    void crossDatabaseConditionsRunAfterTheJoin() {
        Plan plan = explain("SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id "
                + "WHERE o.amount > c.id OR c.name = o.status");
        assertThat(plan.joins().get(0).residual()).isEqualTo("(o.amount > c.ID) OR (c.NAME = o.status)");
        plan.fragments().forEach(f -> assertThat(f.sql()).doesNotContain("OR"));
    }

    @Test
    void fourDatabasesFormATreeOfJoinsAndMariaDbGetsInLists() {
        Plan plan = explain("SELECT c.name, p.name, r.region FROM customers c "
                + "JOIN orders o ON o.customer_id = c.id JOIN order_lines l ON l.order_id = o.id "
                + "JOIN products p ON p.id = l.product_id JOIN geo.regions r ON r.country = c.country "
                + "WHERE p.price < 3");
        assertThat(plan.joins()).hasSize(3);
        assertThat(plan.fragments()).extracting(Plan.Fragment::database)
                .containsExactlyInAnyOrder("customers", "orders", "products", "geo");
        Plan.Fragment maria = plan.fragments().stream().filter(f -> f.database().equals("products")).findFirst().orElseThrow();
        assertThat(maria.sql()).startsWith("SELECT `p`.`id`, `p`.`name` FROM `products` `p` WHERE `p`.`price` < ?");
    }

    @Test
    void dynamicFilteringCanBeTurnedOff() {
        Plan plan = explain("SELECT c.name, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id", 0);
        assertThat(plan.joins().get(0).dynamicFilter()).isFalse();
        assertThat(plan.fragments()).allSatisfy(f -> assertThat(f.sql()).doesNotContain("ANY"));
    }

    @Test
    void theQueryBuilderPlansLikeTheEquivalentSql() {
        Query q = Query.select("c.name", "o.amount AS amount").from("customers.customers", "c")
                .join("orders.orders", "o", "o.customer_id = c.id").where("c.country = 'DE'")
                .orderBy("o.amount DESC").limit(3);
        String sql = "SELECT c.name, o.amount AS amount FROM customers.customers c JOIN orders.orders o "
                + "ON o.customer_id = c.id WHERE c.country = 'DE' ORDER BY o.amount DESC LIMIT 3";
        assertThat(explain(q.toSql()).toString()).isEqualTo(explain(sql).toString());
    }

    @Test
    void unknownAndAmbiguousNamesListTheCandidates() {
        assertThatThrownBy(() -> explain("SELECT * FROM nope"))
                .isInstanceOf(UnknownTableException.class)
                .hasMessageContaining("customers.CUSTOMERS").hasMessageContaining("orders.orders");
        assertThatThrownBy(() -> explain("SELECT * FROM sales.nope"))
                .isInstanceOf(UnknownTableException.class).hasMessageContaining("orders.order_lines");
        assertThatThrownBy(() -> explain("SELECT name FROM customers c JOIN products p ON p.id = c.id"))
                .isInstanceOf(UnknownColumnException.class).hasMessageContaining("Ambiguous column 'name'");
        assertThat(explain("SELECT o.id FROM sales.orders o").fragments().get(0).database()).isEqualTo("orders");
    }

    @Test
    void aJoinBetweenDatabasesNeedsAnEquality() {
        assertThatThrownBy(() -> explain("SELECT 1 FROM customers c JOIN orders o ON o.amount > c.id"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("without an equality");
    }
}
