package dev.tributary.benchmarks;

/**
 * The SQL of every benchmark, per engine. In federated SQL (Calcite and Tributary) tables are qualified by
 * database: {@code pg} (PostgreSQL: orders), {@code h2} (H2: customers), {@code refdata} (H2: countries, statuses).
 */
final class Queries {

    static final String PG = "pg";
    static final String H2 = "h2";
    static final String REF = "refdata";

    private final DataSet d;

    Queries(DataSet d) {
        this.d = d;
    }

    /** All orders, all columns (PostgreSQL). */
    String scan() {
        return "SELECT id, customer_id, amount, status FROM " + d.ordersTable();
    }

    /** Every order with its customer, inside PostgreSQL (the customers copy). */
    String joinInPostgres() {
        return "SELECT o.id, o.amount, c.name, c.country FROM " + d.ordersTable() + " o JOIN " + d.customersTable()
                + " c ON c.id = o.customer_id";
    }

    /** Every order with its customer, across PostgreSQL and H2. */
    String federatedJoin() {
        return "SELECT o.id, o.amount, c.name, c.country FROM " + PG + "." + d.ordersTable() + " o JOIN " + H2 + "."
                + d.customersTable() + " c ON c.id = o.customer_id";
    }

    /** Orders of customers in DE, inside PostgreSQL. */
    String selectiveInPostgres() {
        return "SELECT o.id, o.amount, c.name FROM " + d.ordersTable() + " o JOIN " + d.customersTable()
                + " c ON c.id = o.customer_id WHERE c.country = 'DE'";
    }

    /** Orders of customers in DE, across PostgreSQL and H2. */
    String selectiveFederated() {
        return "SELECT o.id, o.amount, c.name FROM " + PG + "." + d.ordersTable() + " o JOIN " + H2 + "."
                + d.customersTable() + " c ON c.id = o.customer_id WHERE c.country = 'DE'";
    }

    /** All customers (H2). */
    String customers() {
        return "SELECT id, name, country FROM " + d.customersTable();
    }

    /** Customers in DE (H2). */
    String germanCustomers() {
        return "SELECT id, name, country FROM " + d.customersTable() + " WHERE country = 'DE'";
    }

    /** Orders whose customer is in a bound array (PostgreSQL). */
    String ordersOfAny() {
        return "SELECT id, customer_id, amount, status FROM " + d.ordersTable() + " WHERE customer_id = ANY($1)";
    }

    /** One customer by id (H2). */
    String customerById() {
        return "SELECT id, name, country FROM " + d.customersTable() + " WHERE id = $1";
    }

    /** One customer's orders (PostgreSQL). */
    String ordersOfCustomer() {
        return "SELECT id, customer_id, amount FROM " + d.ordersTable() + " WHERE customer_id = $1";
    }

    /** A customer and their orders, federated, the customer id as the one {@code ?} parameter. */
    String pointLookupFederated() {
        return "SELECT c.id, c.name, o.id AS order_id, o.amount FROM " + H2 + "." + d.customersTable() + " c JOIN "
                + PG + "." + d.ordersTable() + " o ON o.customer_id = c.id WHERE c.id = ?";
    }

    /**
     * The planning query: three databases, four tables, filters, GROUP BY and aggregates; four output columns.
     * {@code minAmount} varies the text so that no plan cache can answer.
     */
    String planning(int minAmount) {
        return "SELECT r.region, s.label, COUNT(*) AS orders, SUM(o.amount) AS revenue FROM " + PG + "." + d.ordersTable() + " o"
                + " JOIN " + H2 + "." + d.customersTable() + " c ON c.id = o.customer_id"
                + " JOIN " + REF + "." + d.countriesTable() + " r ON r.code = c.country"
                + " JOIN " + REF + "." + d.statusesTable() + " s ON s.code = o.status"
                + " WHERE c.country IN ('DE', 'FR') AND o.amount > " + minAmount
                + " GROUP BY r.region, s.label";
    }
}
