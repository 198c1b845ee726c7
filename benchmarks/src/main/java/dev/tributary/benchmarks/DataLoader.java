package dev.tributary.benchmarks;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Creates the {@link DataSet}, idempotently: PostgreSQL tables are kept when a meta table records the same
 * sizes (an advisory lock serialises concurrent loaders of one prefix); H2 in-memory tables are loaded once
 * per JVM. JDBC is used here only: loading is set-up, not measured.
 *
 * <p>Run alone: {@code java -cp benchmarks.jar dev.tributary.benchmarks.DataLoader [orders] [customers]}.
 */
public final class DataLoader {

    private DataLoader() {
    }

    public static void main(String[] args) throws SQLException {
        DataSet d = args.length >= 2
                ? new DataSet("bench_", Integer.parseInt(args[0]), Integer.parseInt(args[1]))
                : DataSet.standard();
        long t0 = System.nanoTime();
        boolean loaded = loadPostgres(d);
        System.out.printf("PostgreSQL %s: %s in %d ms%n", d, loaded ? "loaded" : "already present",
                (System.nanoTime() - t0) / 1_000_000);
    }

    /** Loads everything: PostgreSQL (if needed) and the H2 databases of this JVM (if needed). */
    public static void load(DataSet d) {
        try {
            loadPostgres(d);
            loadH2(d);
        } catch (SQLException e) {
            throw new IllegalStateException("Loading " + d + " failed: " + e.getMessage(), e);
        }
    }

    /** Loads the PostgreSQL tables unless present with these sizes; true if it loaded. */
    static boolean loadPostgres(DataSet d) throws SQLException {
        try (Connection c = Env.pgJdbc(); Statement s = c.createStatement()) {
            s.execute("SELECT pg_advisory_lock(hashtext('" + d.prefix() + "'))");
            try {
                if (present(s, d)) {
                    return false;
                }
                s.execute("DROP TABLE IF EXISTS " + d.metaTable() + ", " + d.ordersTable() + ", " + d.customersTable());
                s.execute("CREATE TABLE " + d.ordersTable() + " (id int PRIMARY KEY, customer_id int NOT NULL,"
                        + " amount numeric(10,2) NOT NULL, status varchar(12) NOT NULL)");
                s.execute("INSERT INTO " + d.ordersTable() + " SELECT i, 1 + (i * " + DataSet.SPREAD + "::bigint) % "
                        + d.customers() + ", ((i * 37) % 100000) / 100.0, (ARRAY" + array(DataSet.STATUSES)
                        + ")[1 + i % 4] FROM generate_series(1, " + d.orders() + ") AS i");
                s.execute("CREATE INDEX " + d.ordersTable() + "_customer_idx ON " + d.ordersTable() + " (customer_id)");
                s.execute("CREATE TABLE " + d.customersTable() + " (id int PRIMARY KEY, name varchar(40) NOT NULL,"
                        + " country varchar(2) NOT NULL)");
                s.execute("INSERT INTO " + d.customersTable() + " SELECT i, 'customer ' || i, CASE WHEN i % 50 = 0"
                        + " THEN 'DE' ELSE (ARRAY" + array(DataSet.OTHER) + ")[1 + i % 9] END"
                        + " FROM generate_series(1, " + d.customers() + ") AS i");
                s.execute("VACUUM ANALYZE " + d.ordersTable());
                s.execute("VACUUM ANALYZE " + d.customersTable());
                s.execute("CREATE TABLE " + d.metaTable() + " (orders int NOT NULL, customers int NOT NULL)");
                s.execute("INSERT INTO " + d.metaTable() + " VALUES (" + d.orders() + ", " + d.customers() + ")");
                return true;
            } finally {
                s.execute("SELECT pg_advisory_unlock(hashtext('" + d.prefix() + "'))");
            }
        }
    }

    private static boolean present(Statement s, DataSet d) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT to_regclass('" + d.metaTable() + "') IS NOT NULL")) {
            rs.next();
            if (!rs.getBoolean(1)) {
                return false;
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT orders, customers, (SELECT count(*) FROM " + d.ordersTable()
                + "), (SELECT count(*) FROM " + d.customersTable() + ") FROM " + d.metaTable())) {
            return rs.next() && rs.getInt(1) == d.orders() && rs.getInt(2) == d.customers()
                    && rs.getLong(3) == d.orders() && rs.getLong(4) == d.customers();
        }
    }

    /** Loads customers into H2 database {@link DataSet#h2Name()} and the reference tables into {@link DataSet#refName()}. */
    static synchronized void loadH2(DataSet d) throws SQLException {
        try (Connection c = Env.h2Jdbc(d.h2Name()); Statement s = c.createStatement()) {
            if (!h2Present(s, DataSet.h2(d.customersTable()), d.customers())) {
                s.execute("DROP TABLE IF EXISTS " + d.customersTable());
                s.execute("CREATE TABLE " + d.customersTable() + " (id int PRIMARY KEY, name varchar(40) NOT NULL,"
                        + " country varchar(2) NOT NULL)");
                s.execute("INSERT INTO " + d.customersTable() + " SELECT X, 'customer ' || X, CASE WHEN MOD(X, 50) = 0"
                        + " THEN 'DE' ELSE " + h2Case("MOD(X, 9)", DataSet.OTHER) + " END FROM SYSTEM_RANGE(1, "
                        + d.customers() + ")");
            }
        }
        try (Connection c = Env.h2Jdbc(d.refName()); Statement s = c.createStatement()) {
            if (!h2Present(s, DataSet.h2(d.countriesTable()), DataSet.OTHER.length + 1)) {
                s.execute("DROP TABLE IF EXISTS " + d.countriesTable());
                s.execute("CREATE TABLE " + d.countriesTable() + " (code varchar(2) PRIMARY KEY,"
                        + " name varchar(40) NOT NULL, region varchar(20) NOT NULL)");
                s.execute("INSERT INTO " + d.countriesTable() + " VALUES ('DE', 'Germany', 'EMEA'), ('US', 'United States',"
                        + " 'AMER'), ('FR', 'France', 'EMEA'), ('GB', 'United Kingdom', 'EMEA'), ('IT', 'Italy', 'EMEA'),"
                        + " ('ES', 'Spain', 'EMEA'), ('NL', 'Netherlands', 'EMEA'), ('PL', 'Poland', 'EMEA'),"
                        + " ('SE', 'Sweden', 'EMEA'), ('JP', 'Japan', 'APAC')");
            }
            if (!h2Present(s, DataSet.h2(d.statusesTable()), DataSet.STATUSES.length)) {
                s.execute("DROP TABLE IF EXISTS " + d.statusesTable());
                s.execute("CREATE TABLE " + d.statusesTable() + " (code varchar(12) PRIMARY KEY, label varchar(40) NOT NULL)");
                s.execute("INSERT INTO " + d.statusesTable() + " VALUES ('NEW', 'open'), ('PAID', 'open'),"
                        + " ('SHIPPED', 'done'), ('RETURNED', 'cancelled')");
            }
        }
    }

    private static boolean h2Present(Statement s, String table, int rows) throws SQLException {
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = '"
                + table + "'")) {
            rs.next();
            if (rs.getInt(1) == 0) {
                return false;
            }
        }
        try (ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM " + table)) {
            rs.next();
            return rs.getInt(1) == rows;
        }
    }

    private static String array(String[] values) {
        return "['" + String.join("', '", values) + "']::varchar[]";
    }

    private static String h2Case(String expr, String[] values) {
        StringBuilder sb = new StringBuilder("CASE " + expr);
        for (int i = 0; i < values.length; i++) {
            sb.append(" WHEN ").append(i).append(" THEN '").append(values[i]).append('\'');
        }
        return sb.append(" END").toString();
    }
}
