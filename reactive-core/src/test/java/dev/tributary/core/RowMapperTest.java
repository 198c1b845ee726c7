package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class RowMapperTest {

    record Customer(long customerId, String fullName, boolean active) {
    }

    @Test
    void recordComponentsMatchColumnsCaseInsensitivelyAndSnakeCase() {
        Columns columns = Columns.of("ACTIVE", "full_name", "CUSTOMER_ID");
        RowMapper<Customer> mapper = RowMapper.of(Customer.class);
        assertThat(mapper.apply(Row.of(columns, 1, "Ada", new BigDecimal("7"))))
                .isEqualTo(new Customer(7L, "Ada", true));
        assertThat(mapper.apply(Row.of(columns, false, "Bob", 8))).isEqualTo(new Customer(8L, "Bob", false));
    }

    @Test
    void missingColumnIsAnErrorNamingTheComponent() {
        RowMapper<Customer> mapper = RowMapper.of(Customer.class);
        assertThatThrownBy(() -> mapper.apply(Row.of(Columns.of("customer_id", "active"), 1, true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Customer.fullName");
    }

    @Test
    void nullIntoAPrimitiveComponentIsAnError() {
        RowMapper<Customer> mapper = RowMapper.of(Customer.class);
        assertThatThrownBy(() -> mapper.apply(Row.of(Columns.of("customer_id", "full_name", "active"), null, "x", true)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("NULL");
    }

    @Test
    void singleColumnMapsOntoAValueType() {
        assertThat(RowMapper.of(Long.class).apply(Row.of(Columns.of("count"), 3))).isEqualTo(3L);
        assertThat(RowMapper.of(String.class).apply(Row.of(Columns.of("n"), (Object) null))).isNull();
        assertThatThrownBy(() -> RowMapper.of(Long.class).apply(Row.of(Columns.of("a", "b"), 1, 2)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("exactly one column");
    }
}
