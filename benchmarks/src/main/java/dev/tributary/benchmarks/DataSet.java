package dev.tributary.benchmarks;

import java.util.Locale;

/**
 * The benchmark data set: {@code orders} rows in PostgreSQL, {@code customers} rows in H2 (and a copy in
 * PostgreSQL for the in-database baselines), two small reference tables in a second H2 database.
 *
 * <p>Every value follows from the row number, so expected results are computed here, in Java, independently
 * of any database: a broken query shows up as a wrong row count, never as a fast run.
 *
 * <ul>
 *   <li>{@code orders(id int, customer_id int, amount numeric(10,2), status varchar)}: order {@code i} belongs
 *       to customer {@code 1 + (i * 7919) % customers}; every customer has orders/customers orders (±1).</li>
 *   <li>{@code customers(id int, name varchar, country varchar)}: country is {@code 'DE'} when
 *       {@code id % 50 == 0} (2 % of customers), otherwise one of nine others.</li>
 * </ul>
 *
 * @param prefix table name prefix, {@code bench_} for the suite and {@code bench_smoke_} for the smoke test
 * @param orders number of orders
 * @param customers number of customers
 */
public record DataSet(String prefix, int orders, int customers) {

    /** Multiplier spreading orders over customers; prime, so a bijection whenever customers is not a multiple. */
    static final long SPREAD = 7919;

    /** Order statuses: order {@code i} has {@code STATUSES[i % 4]}. */
    static final String[] STATUSES = {"NEW", "PAID", "SHIPPED", "RETURNED"};

    /** The nine other countries: customer {@code id} not in DE has {@code OTHER[id % 9]}. */
    static final String[] OTHER = {"US", "FR", "GB", "IT", "ES", "NL", "PL", "SE", "JP"};

    public DataSet {
        if (!prefix.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("prefix must be a lower-case SQL identifier, was " + prefix);
        }
        if (orders < 1 || customers < 50) {
            throw new IllegalArgumentException("need at least 1 order and 50 customers, was " + orders + "/" + customers);
        }
    }

    /** The full data set of the issue: 1,000,000 orders, 100,000 customers. */
    public static DataSet standard() {
        return new DataSet("bench_", 1_000_000, 100_000);
    }

    /** The tiny data set of the smoke test. */
    public static DataSet smoke() {
        return new DataSet("bench_smoke_", 1_000, 100);
    }

    public String ordersTable() {
        return prefix + "orders";
    }

    public String customersTable() {
        return prefix + "customers";
    }

    public String countriesTable() {
        return prefix + "countries";
    }

    public String statusesTable() {
        return prefix + "statuses";
    }

    /** The table recording which sizes were loaded (PostgreSQL). */
    String metaTable() {
        return prefix + "meta";
    }

    /** H2 in-memory database names (customers; reference tables). Same name in JDBC and R2DBC = same database. */
    String h2Name() {
        return prefix + "customers_db";
    }

    String refName() {
        return prefix + "ref_db";
    }

    /** H2 stores unquoted names in upper case. */
    static String h2(String table) {
        return table.toUpperCase(Locale.ROOT);
    }

    /** The customer of order {@code i}. */
    public int customerOf(long i) {
        return (int) (1 + (i * SPREAD) % customers);
    }

    public static boolean isGerman(int customerId) {
        return customerId % 50 == 0;
    }

    /** Number of customers in DE. */
    public int germanCustomers() {
        return customers / 50;
    }

    /** Number of orders placed by customers in DE: the row count of the selective join. */
    public int germanOrders() {
        int n = 0;
        for (long i = 1; i <= orders; i++) {
            if (isGerman(customerOf(i))) {
                n++;
            }
        }
        return n;
    }

    /** Orders per customer, indexed by customer id (index 0 unused). */
    public int[] ordersPerCustomer() {
        int[] counts = new int[customers + 1];
        for (long i = 1; i <= orders; i++) {
            counts[customerOf(i)]++;
        }
        return counts;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s: %,d orders, %,d customers", prefix, orders, customers);
    }
}
