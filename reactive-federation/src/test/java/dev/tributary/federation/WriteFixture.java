package dev.tributary.federation;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Dialect;
import dev.tributary.core.Row;
import io.r2dbc.spi.ConnectionFactories;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The data set of the federated write tests, one per JVM: the same tables on H2 ({@code h2w}), PostgreSQL
 * ({@code pgw}, schema {@code dml_w}) and MariaDB ({@code mariaw}, database {@code dml_w}), every connection
 * counted by {@link CountingConnectionFactory}. {@link #reset()} puts the rows back before each test:
 * {@code dml_items} (12 rows with NULLs, decimals and dates), {@code dml_copy} (same columns, empty),
 * {@code dml_keys} (ids with duplicates and one without an item), {@code dml_big} (empty). PostgreSQL also has
 * the views {@code dml_series} (100,000 generated rows) and {@code dml_million} (1,000,000).
 */
final class WriteFixture {

    static final List<String> KINDS = List.of("h2w", "pgw", "mariaw");
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String COLUMNS = "(id INT PRIMARY KEY, name VARCHAR(40), price DECIMAL(10,2), made DATE)";
    private static WriteFixture instance;

    final Databases databases;
    final CountingConnectionFactory.Counters counters;

    private WriteFixture(Databases databases, CountingConnectionFactory.Counters counters) {
        this.databases = databases;
        this.counters = counters;
    }

    static synchronized WriteFixture get() {
        if (instance == null) {
            instance = create();
        }
        return instance;
    }

    private static WriteFixture create() {
        Databases admin = Databases.builder().database("pg", ShopFixture.PG_URL).database("maria", ShopFixture.MARIADB_URL)
                .build();
        try {
            Flux.concat(admin.get("pg").update("DROP SCHEMA IF EXISTS dml_w CASCADE"),
                    admin.get("pg").update("CREATE SCHEMA dml_w"),
                    admin.get("maria").update("DROP DATABASE IF EXISTS dml_w"),
                    admin.get("maria").update("CREATE DATABASE dml_w")).then().block(TIMEOUT);
        } finally {
            admin.close().block(TIMEOUT);
        }
        String h2 = "r2dbc:h2:mem:///dml_w_" + Long.toHexString(System.nanoTime()) + "?options=DB_CLOSE_DELAY=-1";
        CountingConnectionFactory.Counters counters = new CountingConnectionFactory.Counters();
        Databases dbs = Databases.builder()
                .database("h2w", counted(h2, counters))
                .database("pgw", counted(ShopFixture.withOption(ShopFixture.PG_URL, "schema=dml_w"), counters))
                .database("mariaw", counted(ShopFixture.withDatabase(ShopFixture.MARIADB_URL, "dml_w"), counters))
                .build();
        WriteFixture fixture = new WriteFixture(dbs, counters);
        List<Mono<Long>> ddl = new ArrayList<>();
        for (String kind : KINDS) {
            Database db = dbs.get(kind);
            ddl.add(db.update("CREATE TABLE dml_items " + COLUMNS));
            ddl.add(db.update("CREATE TABLE dml_copy " + COLUMNS));
            ddl.add(db.update("CREATE TABLE dml_keys (id INT)"));
            ddl.add(db.update("CREATE TABLE dml_big (id INT, v INT)"));
        }
        Database pg = dbs.get("pgw");
        ddl.add(pg.update("CREATE VIEW dml_series AS SELECT g AS id, g % 97 AS v FROM generate_series(1, 100000) g"));
        ddl.add(pg.update("CREATE VIEW dml_million AS SELECT g AS id, g % 97 AS v FROM generate_series(1, 1000000) g"));
        Flux.concat(ddl).then().block(TIMEOUT);
        fixture.counters.reset();
        return fixture;
    }

    private static CountingConnectionFactory counted(String url, CountingConnectionFactory.Counters counters) {
        return new CountingConnectionFactory(ConnectionFactories.get(url), counters);
    }

    /** Puts every table's rows back. */
    void reset() {
        List<Mono<?>> work = new ArrayList<>();
        for (String kind : KINDS) {
            Database db = databases.get(kind);
            work.add(db.update("DELETE FROM dml_items"));
            work.add(db.update("DELETE FROM dml_copy"));
            work.add(db.update("DELETE FROM dml_keys"));
            work.add(db.update("DELETE FROM dml_big"));
            work.add(db.batch("INSERT INTO dml_items (id, name, price, made) VALUES (" + markers(db.dialect(), 4) + ")",
                    items()));
            work.add(db.batch("INSERT INTO dml_keys (id) VALUES (" + markers(db.dialect(), 1) + ")",
                    Arrays.stream(new Object[] {2, 2, 3, 5, 5, 7, 11, 13}).map(k -> new Object[] {k}).toList()));
        }
        Flux.concat(work).then().block(TIMEOUT);
        awaitAllConnectionsReturned();
        counters.reset();
    }

    /** The rows of dml_items: NULL names, prices and dates at different ids. */
    static List<Object[]> items() {
        List<Object[]> rows = new ArrayList<>();
        for (int id = 1; id <= 12; id++) {
            rows.add(new Object[] {id, id % 4 == 3 ? null : "item " + id,
                    id % 5 == 4 ? null : new BigDecimal(id).multiply(new BigDecimal("1.25")).setScale(2),
                    id % 6 == 5 ? null : LocalDate.of(2024, 2, 29).plusDays(id * 40L)});
        }
        return rows;
    }

    static String markers(Dialect dialect, int n) {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append(i == 0 ? "" : ", ").append(dialect.bindMarker(i));
        }
        return s.toString();
    }

    /** The rows of a table, ordered by id, each as the text of its values (comparable across databases). */
    List<String> rows(String kind, String table) {
        return databases.get(kind).query("SELECT * FROM " + table + " ORDER BY id")
                .map(r -> Arrays.toString(r.values())).collectList().block(TIMEOUT);
    }

    long count(String kind, String sql) {
        return databases.get(kind).query(sql).map(r -> ((Number) r.get(0)).longValue()).single().block(TIMEOUT);
    }

    /** Waits until no database has a connection acquired, then checks that each still answers. */
    void awaitAllConnectionsReturned() {
        ShopFixture.awaitAllConnectionsReturned(databases);
        for (String db : KINDS) {
            for (int i = 0; i < 4; i++) {
                Row one = databases.get(db).query("SELECT 1").single().block(Duration.ofSeconds(10));
                if (one == null) {
                    throw new IllegalStateException(db + " did not answer");
                }
            }
        }
    }
}
