package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class QueryAndOptionsTest {

    @Test
    void theBuilderRendersTheEquivalentSqlAndStaysImmutable() {
        Query base = Query.select("c.name", "o.amount AS total").from("customers.customers", "c");
        Query joined = base.leftJoin("orders.orders", "o", "o.customer_id = c.id")
                .where("c.country = :country").where("o.amount > 10 OR o.amount IS NULL")
                .orderBy("total DESC").limit(5).offset(10).param("country", "DE");
        assertThat(joined.toSql()).isEqualTo("SELECT c.name, o.amount AS total FROM customers.customers c"
                + " LEFT JOIN orders.orders o ON o.customer_id = c.id"
                + " WHERE (c.country = :country) AND (o.amount > 10 OR o.amount IS NULL)"
                + " ORDER BY total DESC LIMIT 5 OFFSET 10");
        assertThat(joined.namedParams()).containsEntry("country", "DE");
        assertThat(base.toSql()).isEqualTo("SELECT c.name, o.amount AS total FROM customers.customers c");
        assertThat(Query.select().distinct().from("t").fullJoin("u", null, "u.id = t.id").toSql())
                .isEqualTo("SELECT DISTINCT * FROM t FULL JOIN u ON u.id = t.id");
        assertThatThrownBy(() -> Query.select("a").toSql()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> base.limit(-1)).hasMessageContaining("limit must be >= 0");
    }

    @Test
    void optionsHaveDocumentedDefaultsAndRejectBadValuesNamingTheField() {
        FederationOptions d = FederationOptions.defaults();
        assertThat(d.memoryBudget()).isEqualTo(256L * 1024 * 1024);
        assertThat(d.dynamicFilterMaxKeys()).isEqualTo(10_000);
        assertThat(d.probePrefetch()).isEqualTo(256);
        assertThat(d.inListBatchSize()).isEqualTo(1000);
        assertThat(d.catalogMaxAge()).isNull();
        assertThat(d.toBuilder().probePrefetch(8).build().probePrefetch()).isEqualTo(8);
        assertThatThrownBy(() -> FederationOptions.builder().memoryBudget(0)).hasMessageContaining("memoryBudget");
        assertThatThrownBy(() -> FederationOptions.builder().dynamicFilterMaxKeys(-1)).hasMessageContaining("dynamicFilterMaxKeys");
        assertThatThrownBy(() -> FederationOptions.builder().probePrefetch(0)).hasMessageContaining("probePrefetch");
        assertThatThrownBy(() -> FederationOptions.builder().inListBatchSize(40_000)).hasMessageContaining("inListBatchSize");
        assertThatThrownBy(() -> FederationOptions.builder().catalogMaxAge(Duration.ZERO)).hasMessageContaining("catalogMaxAge");
    }
}
