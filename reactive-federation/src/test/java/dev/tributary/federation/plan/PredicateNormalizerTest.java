package dev.tributary.federation.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tributary.federation.Plan;
import dev.tributary.federation.UnsupportedSqlException;
import dev.tributary.federation.catalog.Catalog;
import dev.tributary.federation.sql.SqlFrontEnd;
import org.junit.jupiter.api.Test;

/** What {@link PredicateNormalizer} adds to a block across databases, seen in the plans it leads to. */
class PredicateNormalizerTest {

    private final Catalog catalog = TestCatalogs.shop();

    private Plan explain(String sql) {
        return Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), catalog), catalog, 10_000));
    }

    private static Plan.Fragment on(Plan plan, String database) {
        return plan.fragments().stream().filter(f -> f.database().equals(database)).findFirst().orElseThrow();
    }

    @Test
    void aJoinKeyRepeatedInEveryBranchOfAnOrBecomesTheJoinConditionAndEachSideGetsItsImpliedFilter() {
        Plan plan = explain("SELECT c.name, o.id FROM customers c, orders o"
                + " WHERE (c.id = o.customer_id AND c.country = 'DE' AND o.amount > 10)"
                + " OR (c.id = o.customer_id AND c.country = 'FR' AND o.status = 'open')");
        Plan.Join join = plan.joins().get(0);
        assertThat(join.keys()).containsExactly("c.ID = o.customer_id");
        assertThat(join.residual())
                .isEqualTo("((c.COUNTRY = 'DE') AND (o.amount > 10)) OR ((c.COUNTRY = 'FR') AND (o.status = 'open'))");
        assertThat(on(plan, "customers").sql()).endsWith("WHERE \"c\".\"COUNTRY\" IN ($1, $2)");
        assertThat(on(plan, "customers").binds()).containsExactly("'DE'", "'FR'");
        assertThat(on(plan, "orders").sql())
                .contains("WHERE ((\"o\".\"amount\" > $1) OR (\"o\".\"status\" = $2)) AND \"o\".\"customer_id\" = ANY($3)");
    }

    @Test
    void withoutTheRepeatedKeyTheJoinIsStillRefused() {
        assertThatThrownBy(() -> explain("SELECT c.name FROM customers c, orders o"
                + " WHERE (c.id = o.customer_id AND c.country = 'DE') OR (c.country = 'FR' AND o.status = 'open')"))
                .isInstanceOf(UnsupportedSqlException.class).hasMessageContaining("without an equality condition");
    }

    @Test
    void aBranchThatIsOnlyTheCommonPartMakesTheOrTrue() {
        Plan plan = explain("SELECT c.name FROM customers c, orders o"
                + " WHERE (c.id = o.customer_id) OR (c.id = o.customer_id AND c.country = 'FR')");
        assertThat(plan.joins().get(0).keys()).containsExactly("c.ID = o.customer_id");
        assertThat(plan.joins().get(0).residual()).isNull();
        assertThat(on(plan, "customers").sql()).doesNotContain("WHERE");
    }

    @Test
    void anOrConstrainingOneTableInOnlySomeBranchesImpliesNothingForIt() {
        Plan plan = explain("SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE (c.country = 'DE' AND o.amount > 10) OR c.segment = 'smb'");
        assertThat(on(plan, "customers").sql()).contains("WHERE ((\"c\".\"COUNTRY\" = $1) OR (\"c\".\"SEGMENT\" = $2))");
        assertThat(on(plan, "orders").sql()).doesNotContain("amount\" >");
    }

    @Test
    void aColumnEqualToAConstantPassesItToTheColumnsJoinedToIt() {
        Plan plan = explain("SELECT o.id, l.qty FROM orders o JOIN order_lines l ON l.order_id = o.id"
                + " JOIN customers c ON c.id = o.customer_id WHERE o.id = 5");
        assertThat(on(plan, "orders").sql()).contains("\"o\".\"id\" = $1 AND \"l\".\"order_id\" = $2");
    }

    @Test
    void equalitiesCloseTransitivelyAcrossDatabases() {
        // c.ID and o.customer_id are not of one type (Integer, Long): nothing is passed between them
        Plan typed = explain("SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id WHERE c.id = 7");
        assertThat(on(typed, "orders").sql()).doesNotContain("\"customer_id\" = $");
        // orders.id = order_lines.order_id (Long, Long) and order_lines.order_id = orders2.id: o.id = o2.id follows
        Plan plan = explain("SELECT o.id FROM orders o JOIN order_lines l ON l.order_id = o.id"
                + " JOIN customers c ON c.id = l.product_id, orders o2 WHERE o2.id = l.order_id AND o2.status = 'x'");
        assertThat(on(plan, "orders").sql()).contains("ON \"o\".\"id\" = \"o2\".\"id\"");
    }

    @Test
    void aBlankPaddedCharColumnPassesNoConstantOn() {
        Catalog padded = new Catalog(java.util.Map.of(
                "a", TestCatalogs.db("a", dev.tributary.core.Dialect.H2, TestCatalogs.table("a", "T1", 10,
                        new dev.tributary.federation.catalog.ColumnInfo("CODE", "CHARACTER", String.class))),
                "b", TestCatalogs.db("b", dev.tributary.core.Dialect.H2, TestCatalogs.table("b", "T2", 10,
                        new dev.tributary.federation.catalog.ColumnInfo("CODE", "CHARACTER VARYING", String.class)),
                        TestCatalogs.table("b", "T3", 10,
                                new dev.tributary.federation.catalog.ColumnInfo("CODE", "CHARACTER VARYING", String.class)))),
                java.util.Map.of());
        String sql = "SELECT x.code FROM a.t1 x JOIN b.t2 y ON y.code = x.code JOIN b.t3 z ON z.code = x.code"
                + " WHERE x.code = 'A'";
        Plan plan = Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(sql), padded), padded, 10_000));
        assertThat(on(plan, "b").sql()).doesNotContain("= $");
        String varying = "SELECT y.code FROM b.t2 y JOIN a.t1 x ON x.code = y.code, b.t3 z"
                + " WHERE z.code = y.code AND y.code = 'A'";
        Plan passed = Explain.of(Planner.plan(Binder.bind(SqlFrontEnd.parse(varying), padded), padded, 10_000));
        assertThat(on(passed, "b").sql()).contains("\"y\".\"CODE\" = $1 AND \"z\".\"CODE\" = $2");
    }

    @Test
    void aNullCheckOrANegationIsNotTakenForAnEquality() {
        Plan plan = explain("SELECT c.name FROM customers c JOIN orders o ON o.customer_id = c.id"
                + " WHERE (c.country = 'DE' AND o.amount > 1) OR (c.country IS NULL AND o.amount > 2)");
        assertThat(on(plan, "customers").sql())
                .contains("WHERE ((\"c\".\"COUNTRY\" = $1) OR (\"c\".\"COUNTRY\" IS NULL))");
    }
}
