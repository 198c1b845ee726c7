package dev.tributary.benchmarks;

import io.r2dbc.spi.ConnectionFactoryOptions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Objects;
import java.util.Properties;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * Where the benchmark databases are: PostgreSQL from {@code TRIBUTARY_PG_URL} (default
 * {@code r2dbc:postgresql://postgres@127.0.0.1:5432/test}), H2 in memory in this JVM, and for the transfer
 * benchmark MariaDB from {@code TRIBUTARY_MARIADB_URL} (default {@code r2dbc:mariadb://root@127.0.0.1:3306/test}). The JDBC settings
 * are derived from the R2DBC URL so that both drivers reach the same server.
 */
final class Env {

    static final String DEFAULT_PG_URL = "r2dbc:postgresql://postgres@127.0.0.1:5432/test";
    static final String DEFAULT_MARIADB_URL = "r2dbc:mariadb://root@127.0.0.1:3306/test";

    private Env() {
    }

    static String pgR2dbcUrl() {
        String url = System.getenv("TRIBUTARY_PG_URL");
        return url == null || url.isBlank() ? DEFAULT_PG_URL : url;
    }

    static String mariadbR2dbcUrl() {
        String url = System.getenv("TRIBUTARY_MARIADB_URL");
        return url == null || url.isBlank() ? DEFAULT_MARIADB_URL : url;
    }

    private static ConnectionFactoryOptions pgOptions() {
        return ConnectionFactoryOptions.parse(pgR2dbcUrl());
    }

    static String pgJdbcUrl() {
        ConnectionFactoryOptions o = pgOptions();
        Object port = o.getValue(ConnectionFactoryOptions.PORT);
        return "jdbc:postgresql://" + o.getRequiredValue(ConnectionFactoryOptions.HOST) + ":"
                + (port == null ? 5432 : port) + "/" + o.getRequiredValue(ConnectionFactoryOptions.DATABASE);
    }

    static Properties pgJdbcProperties() {
        ConnectionFactoryOptions o = pgOptions();
        Properties p = new Properties();
        p.setProperty("user", String.valueOf(o.getRequiredValue(ConnectionFactoryOptions.USER)));
        Object password = o.getValue(ConnectionFactoryOptions.PASSWORD);
        if (password != null) {
            p.setProperty("password", password.toString());
        }
        return p;
    }

    static Connection pgJdbc() throws SQLException {
        return DriverManager.getConnection(pgJdbcUrl(), pgJdbcProperties());
    }

    static DataSource pgDataSource() {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setUrl(pgJdbcUrl());
        Properties p = pgJdbcProperties();
        ds.setUser(p.getProperty("user"));
        if (p.getProperty("password") != null) {
            ds.setPassword(p.getProperty("password"));
        }
        return ds;
    }

    static String h2R2dbcUrl(String name) {
        return "r2dbc:h2:mem:///" + Objects.requireNonNull(name) + "?options=DB_CLOSE_DELAY=-1";
    }

    static String h2JdbcUrl(String name) {
        return "jdbc:h2:mem:" + name + ";DB_CLOSE_DELAY=-1";
    }

    static Connection h2Jdbc(String name) throws SQLException {
        return DriverManager.getConnection(h2JdbcUrl(name), "", "");
    }

    static DataSource h2DataSource(String name) {
        JdbcDataSource ds = new JdbcDataSource();
        ds.setURL(h2JdbcUrl(name));
        ds.setUser("");
        ds.setPassword("");
        return ds;
    }
}
