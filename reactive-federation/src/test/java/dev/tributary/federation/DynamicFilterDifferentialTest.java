package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Dynamic filters on every key of a multi-key join and through chains of joins, against the PostgreSQL
 * oracle: with key lists (IN lists in batches of 2 outside PostgreSQL), with key sets too large for a list
 * (ranges), and without dynamic filters.
 */
class DynamicFilterDifferentialTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static ShopFixture shop;
    private static Federation lists;
    private static Federation ranges;
    private static Federation none;

    @BeforeAll
    static void setUp() {
        shop = ShopFixture.get();
        lists = Federation.over(shop.databases, FederationOptions.builder().inListBatchSize(2).build());
        ranges = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(5).inListBatchSize(2).build());
        none = Federation.over(shop.databases, FederationOptions.builder().dynamicFilterMaxKeys(0).build());
    }

    static Stream<DifferentialQueries.Case> cases() {
        return Stream.of(
                c("a two-key join filters PostgreSQL on both keys",
                        "SELECT c.id, o.id, o.amount FROM customers c JOIN orders o ON o.customer_id = c.id"
                                + " AND o.priority = c.id % 5 WHERE c.country = 'DE'"),
                c("a two-key join filters H2 with row values",
                        "SELECT o.id, c.id FROM orders o JOIN customers c ON c.id = o.customer_id"
                                + " AND c.segment = CASE WHEN o.priority = 1 THEN 'smb' ELSE 'retail' END"
                                + " WHERE o.status = 'paid' AND o.amount > 700"),
                c("a chain of joins filters one PostgreSQL fragment from H2 and MariaDB",
                        "SELECT c.id, l.qty, p.name FROM customers c, orders o, order_lines l, products p"
                                + " WHERE l.order_id = o.id AND c.id = o.customer_id AND p.id = l.product_id"
                                + " AND c.country = 'DE' AND p.category = 'toys'"),
                c("a chain from two H2 databases through PostgreSQL into MariaDB",
                        "SELECT o.id, s.id, k.name FROM countries k JOIN customers c ON c.country = k.code"
                                + " JOIN orders o ON o.customer_id = c.id JOIN shipments s ON s.order_id = o.id"
                                + " WHERE k.region = 'Nordics'"),
                c("a chain through the null-supplied side of a left join",
                        "SELECT c.id, o.id, p.name FROM customers c LEFT JOIN orders o ON o.customer_id = c.id"
                                + " JOIN products p ON p.id = o.priority WHERE c.country = 'DE'"),
                c("a two-key join filters MariaDB with row values",
                        "SELECT l.order_id, l.line_no, p.id FROM order_lines l JOIN products p ON p.id = l.product_id"
                                + " AND p.stock = l.qty WHERE l.line_no = 1 AND l.qty < 9"),
                c("a selective build side with more keys than a list holds sends a range",
                        "SELECT c.id, o.id FROM customers c JOIN orders o ON o.customer_id = c.id"
                                + " WHERE c.country = 'DE' AND c.segment = 'smb'"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void federatedRowsEqualTheOracle(DifferentialQueries.Case q) {
        DifferentialTest.assertSameRowsAsTheOracle(shop, q, lists, ranges, none);
    }

    @Test
    void theCasesFilterEveryKeyAndThroughChains() {
        List<DifferentialQueries.Case> all = cases().toList();
        Plan twoKeys = lists.explain(all.get(0).sql()).block(TIMEOUT);
        assertThat(twoKeys.fragments().get(1).sql()).contains("\"customer_id\" = ANY($1)").contains("\"priority\" = ANY($2)");
        Plan rowValues = lists.explain(all.get(1).sql()).block(TIMEOUT);
        assertThat(rowValues.fragments()).anySatisfy(f -> assertThat(f.sql()).contains("(\"c\".\"ID\", \"c\".\"SEGMENT\") IN (($1, $2))"));
        Plan chain = lists.explain(all.get(2).sql()).block(TIMEOUT);
        assertThat(chain.fragments()).anySatisfy(f -> assertThat(f.dynamicFilter()).contains(" and "));
        Plan mariaDb = lists.explain(all.get(5).sql()).block(TIMEOUT);
        assertThat(lists.explain(all.get(3).sql()).block(TIMEOUT).joins()).allSatisfy(j -> assertThat(j.dynamicFilter()).isTrue());
        assertThat(mariaDb.toString()).contains("(`p`.`id`, `p`.`stock`) IN ((?, ?))");
        Plan range = ranges.explain(all.get(6).sql()).block(TIMEOUT);
        assertThat(range.joins().get(0).dynamicFilter()).isTrue();
    }

    private static DifferentialQueries.Case c(String name, String sql) {
        return new DifferentialQueries.Case(name, sql, false);
    }
}
