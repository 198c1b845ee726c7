package dev.tributary.samples;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Dialect;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import reactor.core.publisher.Mono;

/**
 * The small shop both samples run on: a {@code customers} table in the {@code customers} database and an
 * {@code orders} table in the {@code orders} database, so that every question joining the two is a
 * federated one. Twelve customers in eight countries, forty orders; one customer never ordered and one
 * order belongs to a customer id the customers database does not know, so inner and outer joins differ.
 *
 * <p>Seeding is idempotent: it creates the tables when missing and replaces their rows, so it may run
 * again on an in-memory database that outlived an earlier run in the same JVM.
 */
public final class SampleData {

    /** The database (and the table in it) holding the customers. */
    public static final String CUSTOMERS = "customers";

    /** The database (and the table in it) holding the orders. */
    public static final String ORDERS = "orders";

    /** Number of customers seeded. */
    public static final int CUSTOMER_COUNT = 12;

    /** Number of orders seeded. */
    public static final int ORDER_COUNT = 40;

    /** The id of the customer who has no orders. */
    public static final int CUSTOMER_WITHOUT_ORDERS = 12;

    /** The customer id of the one order whose customer is not in the customers database. */
    public static final int UNKNOWN_CUSTOMER_ID = 99;

    private static final Object[][] CUSTOMER_ROWS = {
        {1, "Ada Lovelace", "ada@example.org", "GB", LocalDate.of(2023, 1, 9)},
        {2, "Grace Hopper", "grace@example.org", "US", LocalDate.of(2023, 2, 14)},
        {3, "Alan Turing", "alan@example.org", "GB", LocalDate.of(2023, 3, 3)},
        {4, "Linus Torvalds", "linus@example.org", "FI", LocalDate.of(2023, 4, 21)},
        {5, "Margaret Hamilton", "margaret@example.org", "US", LocalDate.of(2023, 5, 30)},
        {6, "Konrad Zuse", "konrad@example.org", "DE", LocalDate.of(2023, 6, 12)},
        {7, "Barbara Liskov", "barbara@example.org", "US", LocalDate.of(2023, 7, 7)},
        {8, "Edsger Dijkstra", "edsger@example.org", "NL", LocalDate.of(2023, 8, 19)},
        {9, "Niklaus Wirth", "niklaus@example.org", "CH", LocalDate.of(2023, 9, 1)},
        {10, "Frances Allen", "frances@example.org", "US", LocalDate.of(2023, 10, 26)},
        {11, "Grete Hermann", "grete@example.org", "DE", LocalDate.of(2023, 11, 2)},
        {12, "Hedy Lamarr", "hedy@example.org", "AT", LocalDate.of(2023, 12, 15)},
    };

    private static final String[] STATUSES = {"PAID", "SHIPPED", "DELIVERED", "CANCELLED"};

    private SampleData() {
    }

    /** The customer rows: id, name, email, country, signed_up. */
    public static List<Object[]> customers() {
        List<Object[]> rows = new ArrayList<>(CUSTOMER_ROWS.length);
        for (Object[] row : CUSTOMER_ROWS) {
            rows.add(row.clone());
        }
        return rows;
    }

    /**
     * The order rows: id, customer_id, amount, status, ordered_at. Orders 1 to 39 belong to customers 1 to
     * 11 in turn; order 40 belongs to {@link #UNKNOWN_CUSTOMER_ID}.
     */
    public static List<Object[]> orders() {
        List<Object[]> rows = new ArrayList<>(ORDER_COUNT);
        for (int id = 1; id <= ORDER_COUNT; id++) {
            int customerId = id == ORDER_COUNT ? UNKNOWN_CUSTOMER_ID : (id - 1) % 11 + 1;
            BigDecimal amount = BigDecimal.valueOf(1_000 + (id * 7_919L) % 49_000, 2);
            String status = STATUSES[id % STATUSES.length];
            LocalDateTime orderedAt = LocalDateTime.of(2024, 1, 1, 9, 0).plusHours(id * 61L);
            rows.add(new Object[] {id, customerId, amount, status, orderedAt});
        }
        return rows;
    }

    /**
     * Creates and fills both tables.
     *
     * @return completes when both databases are seeded; signals the first error
     * @throws dev.tributary.core.UnknownDatabaseException if {@code databases} lacks {@code customers} or {@code orders}
     */
    public static Mono<Void> seed(Databases databases) {
        Database customers = databases.get(CUSTOMERS);
        Database orders = databases.get(ORDERS);
        return Mono.when(
                fill(customers, "CREATE TABLE IF NOT EXISTS customers (id INT PRIMARY KEY, name VARCHAR(100) NOT NULL,"
                        + " email VARCHAR(200) NOT NULL, country CHAR(2) NOT NULL, signed_up DATE NOT NULL)",
                        "customers", "id, name, email, country, signed_up", customers()),
                fill(orders, "CREATE TABLE IF NOT EXISTS orders (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                        + " amount DECIMAL(10, 2) NOT NULL, status VARCHAR(20) NOT NULL, ordered_at TIMESTAMP NOT NULL)",
                        "orders", "id, customer_id, amount, status, ordered_at", orders()));
    }

    private static Mono<Void> fill(Database db, String create, String table, String columns, List<Object[]> rows) {
        String insert = "INSERT INTO " + table + " (" + columns + ") VALUES (" + markers(db.dialect(), rows.get(0).length) + ")";
        return db.update(create)
                .then(db.inTransaction(session -> session.update("DELETE FROM " + table)
                        .then(session.batch(insert, rows)))
                        .then());
    }

    private static String markers(Dialect dialect, int count) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(dialect.bindMarker(i));
        }
        return sb.toString();
    }
}
