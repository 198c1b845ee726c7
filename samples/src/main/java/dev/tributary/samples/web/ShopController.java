package dev.tributary.samples.web;

import dev.tributary.core.Row;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The shop's questions, each answered by Tributary: customers come from the {@code customers} database,
 * orders from the {@code orders} database, and every answer that needs both is a federated query.
 */
@RestController
@RequestMapping("/api")
class ShopController {

    static final String CUSTOMER_WITH_ORDERS = """
            SELECT c.id, c.name, c.email, c.country, c.signed_up,
                   o.id AS order_id, o.amount, o.status, o.ordered_at
            FROM customers c LEFT JOIN orders o ON o.customer_id = c.id
            WHERE c.id = :id
            ORDER BY o.id""";

    static final String ORDERS_WITH_CUSTOMERS = """
            SELECT o.id, o.customer_id, c.name AS customer, c.country, o.amount, o.status, o.ordered_at
            FROM orders o LEFT JOIN customers c ON c.id = o.customer_id""";

    static final String REVENUE = """
            SELECT c.country, COUNT(*) AS orders, SUM(o.amount) AS revenue
            FROM customers c JOIN orders o ON o.customer_id = c.id
            WHERE o.status <> :excluded
            GROUP BY c.country
            ORDER BY revenue DESC, c.country""";

    private final FederatedSql federation;

    ShopController(FederatedSql federation) {
        this.federation = federation;
    }

    /** One customer with their orders: a federated LEFT JOIN of the two databases. */
    @GetMapping("/customers/{id}")
    Mono<CustomerOrders> customer(@PathVariable int id) {
        return federation.query(CUSTOMER_WITH_ORDERS, Map.of("id", id))
                .collectList()
                .filter(rows -> !rows.isEmpty())
                .map(CustomerOrders::of)
                .switchIfEmpty(Mono.error(() -> new NotFoundException("No customer with id " + id)));
    }

    /**
     * Every order with its customer's name and country: a federated join, streamed row by row as the join
     * produces them (no ORDER BY, which would hold the whole result to sort it). Ask for NDJSON to read it
     * line by line.
     */
    @GetMapping(value = "/orders", produces = {MediaType.APPLICATION_JSON_VALUE, MediaType.APPLICATION_NDJSON_VALUE})
    Flux<Map<String, @Nullable Object>> orders() {
        return federation.query(ORDERS_WITH_CUSTOMERS, Map.of()).map(RowJson::toMap);
    }

    /**
     * Revenue per country (orders that were not cancelled), highest first. The federated join brings each
     * order's country and amount; the grouping happens here, one running total per country.
     */
    @GetMapping("/revenue-by-country")
    Flux<CountryRevenue> revenueByCountry() {
        return federation.query(REVENUE, Map.of("excluded", "CANCELLED"))
                .map(row -> new CountryRevenue(row.get("country", String.class),
                        row.get("orders", Long.class), row.get("revenue", BigDecimal.class)));
    }

    /** A country's order count and revenue. */
    record CountryRevenue(String country, long orders, BigDecimal revenue) {
    }

    /** A customer and their orders, with the total they spent. */
    record CustomerOrders(int id, String name, String email, String country, LocalDate signedUp,
            List<Order> orders, BigDecimal total) {

        /** From the join's rows, one per order (one with NULL order columns when there is none). */
        static CustomerOrders of(List<Row> rows) {
            Row first = rows.get(0);
            List<Order> orders = new ArrayList<>();
            BigDecimal total = BigDecimal.ZERO;
            for (Row row : rows) {
                Integer orderId = row.get("order_id", Integer.class);
                if (orderId != null) {
                    Order order = new Order(orderId, row.get("amount", BigDecimal.class), row.get("status", String.class),
                            row.get("ordered_at", LocalDateTime.class));
                    orders.add(order);
                    total = total.add(order.amount());
                }
            }
            return new CustomerOrders(first.get("id", Integer.class), first.get("name", String.class),
                    first.get("email", String.class), first.get("country", String.class),
                    first.get("signed_up", LocalDate.class), List.copyOf(orders), total);
        }
    }

    /** One order of a customer. */
    record Order(int id, BigDecimal amount, String status, LocalDateTime orderedAt) {
    }
}
