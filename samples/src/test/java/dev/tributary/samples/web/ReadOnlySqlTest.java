package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReadOnlySqlTest {

    @ParameterizedTest
    @ValueSource(strings = {
        "SELECT 1",
        "  select c.name FROM customers c",
        "-- the top customers\nSELECT name FROM customers",
        "/* hint */ (SELECT name FROM customers)",
        "WITH big AS (SELECT * FROM orders WHERE amount > 100) SELECT * FROM big",
        "SELECT ';' AS semicolon FROM customers;",
        "SELECT name FROM customers; ;  "
    })
    void queriesPass(String sql) {
        assertThat(ReadOnlySql.require(sql)).isEqualTo(sql);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "DELETE FROM orders",
        "update orders SET amount = 0",
        "INSERT INTO orders VALUES (1)",
        "/* SELECT */ DROP TABLE customers",
        "CALL purge()",
        "-- SELECT\nTRUNCATE TABLE orders"
    })
    void statementsThatAreNotQueriesAreRefusedNamingTheirKeyword(String sql) {
        assertThatThrownBy(() -> ReadOnlySql.require(sql))
                .isInstanceOf(ReadOnlySql.NotReadOnlyException.class)
                .hasMessageContaining("Only read-only queries are accepted")
                .hasMessageContaining("expected SELECT");
    }

    @Test
    void aSecondStatementAfterASemicolonIsRefused() {
        assertThatThrownBy(() -> ReadOnlySql.require("SELECT 1; DELETE FROM orders"))
                .isInstanceOf(ReadOnlySql.NotReadOnlyException.class)
                .hasMessageContaining("Only one statement");
    }

    @Test
    void emptyOrMissingSqlIsRefused() {
        assertThatThrownBy(() -> ReadOnlySql.require("  -- nothing\n"))
                .isInstanceOf(ReadOnlySql.NotReadOnlyException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> ReadOnlySql.require(null))
                .isInstanceOf(ReadOnlySql.NotReadOnlyException.class).hasMessageContaining("No SQL");
    }
}
