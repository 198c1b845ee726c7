package dev.tributary.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class SampleDataTest {

    @Test
    void oneCustomerHasNoOrdersAndOneOrderHasNoKnownCustomer() {
        Set<Object> customerIds = SampleData.customers().stream().map(r -> r[0]).collect(Collectors.toSet());
        Set<Object> orderingCustomers = SampleData.orders().stream().map(r -> r[1]).collect(Collectors.toSet());

        assertThat(customerIds).hasSize(SampleData.CUSTOMER_COUNT);
        assertThat(SampleData.orders()).hasSize(SampleData.ORDER_COUNT);
        assertThat(orderingCustomers).doesNotContain(SampleData.CUSTOMER_WITHOUT_ORDERS)
                .contains(SampleData.UNKNOWN_CUSTOMER_ID);
        assertThat(customerIds).doesNotContain(SampleData.UNKNOWN_CUSTOMER_ID);
    }
}
