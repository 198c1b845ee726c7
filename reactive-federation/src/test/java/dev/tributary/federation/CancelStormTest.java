package dev.tributary.federation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.Databases;
import dev.tributary.core.Row;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A storm of federated queries over PostgreSQL, MariaDB and H2 (8 at a time), each cancelled after a random
 * delay, cut short by {@code take(n)}, or read to its end, must leave no connection acquired, hang nothing, and
 * leave every pool serving. The number of queries is {@code -Dtributary.cancelStorm.queries} (CI: 600; the full
 * storm of the README: 10000), the seed {@code -Dtributary.cancelStorm.seed}.
 */
class CancelStormTest {

    private static final int QUERIES = Integer.getInteger("tributary.cancelStorm.queries", 600);
    private static final long SEED = Long.getLong("tributary.cancelStorm.seed", 14);
    private static final int CONCURRENCY = 8;
    private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration SETUP_TIMEOUT = Duration.ofSeconds(120);

    /** Federated joins across the three databases, a cross-database semi-join, and single-database queries. */
    private static final String[] QUERIES_SQL = {
        "SELECT o.id, o.amount, i.name FROM pg.relfed_orders o JOIN maria.relfed_items i ON i.id = o.item_id",
        "SELECT c.region, COUNT(*) AS n, SUM(o.amount) AS total FROM h2.relfed_customers c"
                + " JOIN pg.relfed_orders o ON o.customer_id = c.id GROUP BY c.region",
        "SELECT c.name, i.name AS item, o.amount FROM h2.relfed_customers c JOIN pg.relfed_orders o ON o.customer_id = c.id"
                + " JOIN maria.relfed_items i ON i.id = o.item_id WHERE o.amount > 10",
        "SELECT i.id, i.name FROM maria.relfed_items i WHERE i.id IN (SELECT item_id FROM pg.relfed_orders"
                + " WHERE customer_id < 50)",
        "SELECT c.id, i.price FROM h2.relfed_customers c JOIN maria.relfed_items i ON i.id = c.id ORDER BY i.price, c.id",
        "SELECT id, customer_id, amount FROM pg.relfed_orders ORDER BY id",
        "SELECT id, name, price FROM maria.relfed_items",
        "SELECT id, name FROM h2.relfed_customers"};

    private static Databases databases;
    private static Federation federation;
    private static final long[] EXPECTED = new long[QUERIES_SQL.length];

    @BeforeAll
    static void createTables() {
        ShopFixture.onServers(admin -> Flux.concat(
                admin.get("pg").update("DROP SCHEMA IF EXISTS relfed_storm CASCADE"),
                admin.get("pg").update("CREATE SCHEMA relfed_storm"),
                admin.get("maria").update("DROP DATABASE IF EXISTS relfed_storm"),
                admin.get("maria").update("CREATE DATABASE relfed_storm")));
        databases = Databases.builder()
                .database("pg", ShopFixture.withOption(ShopFixture.PG_URL, "schema=relfed_storm"))
                .database("maria", ShopFixture.withDatabase(ShopFixture.MARIADB_URL, "relfed_storm"))
                .database("h2", "r2dbc:h2:mem:///relfed_storm_" + Long.toHexString(System.nanoTime())
                        + "?options=DB_CLOSE_DELAY=-1")
                .build();
        Database pg = databases.get("pg");
        Database maria = databases.get("maria");
        Database h2 = databases.get("h2");
        Flux.concat(
                pg.update("CREATE TABLE relfed_orders (id BIGINT PRIMARY KEY, customer_id INT, item_id INT,"
                        + " amount DECIMAL(10,2))"),
                pg.update("INSERT INTO relfed_orders SELECT g, g % 1100, g % 2100, (g % 997) / 10.0"
                        + " FROM generate_series(1, 20000) AS g"),
                pg.update("ANALYZE relfed_orders"),
                maria.update("CREATE TABLE relfed_items (id INT PRIMARY KEY, name VARCHAR(20), price DECIMAL(8,2))"),
                maria.update("INSERT INTO relfed_items SELECT seq, CONCAT('item ', seq), seq % 100 FROM seq_1_to_2000"),
                h2.update("CREATE TABLE relfed_customers (id INT PRIMARY KEY, name VARCHAR(20), region VARCHAR(8))"),
                h2.update("INSERT INTO relfed_customers SELECT X, 'customer ' || X, 'r' || MOD(X, 7)"
                        + " FROM SYSTEM_RANGE(1, 1000)"))
                .then().block(SETUP_TIMEOUT);
        federation = Federation.over(databases);
        for (int q = 0; q < QUERIES_SQL.length; q++) {
            EXPECTED[q] = federation.query(QUERIES_SQL[q]).count().block(QUERY_TIMEOUT);
            assertThat(EXPECTED[q]).as(QUERIES_SQL[q]).isPositive();
        }
    }

    @AfterAll
    static void close() {
        if (databases != null) {
            databases.close().block(SETUP_TIMEOUT);
        }
    }

    @Test
    void randomlyCancelledQueriesReturnEveryConnectionHangNothingAndLeaveEveryPoolServing() {
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        Flux.range(0, QUERIES)
                .flatMap(i -> one(i, new Random(SEED * 1_000_003 + i), outcomes, failures), CONCURRENCY)
                .then().block(Duration.ofMinutes(60));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Cancel storm: %d queries (seed %d, %d at a time) in %.1f s: %s; failures %d%n",
                QUERIES, SEED, CONCURRENCY, seconds, new java.util.TreeMap<>(outcomes), failures.size());

        assertThat(failures).as("queries that failed or did not terminate within %s", QUERY_TIMEOUT).isEmpty();
        awaitNoConnectionAcquired();
        for (String name : databases.names()) {
            Database db = databases.get(name);
            List<Long> fresh = Flux.range(0, 20)
                    .flatMap(i -> db.query("SELECT 1").count().timeout(Duration.ofSeconds(10)), 4)
                    .collectList().block(Duration.ofSeconds(60));
            assertThat(fresh).as("fresh queries on %s", name).hasSize(20).containsOnly(1L);
            assertThat(db.poolMetrics().acquired()).as("%s after the fresh queries", name).isZero();
        }
        for (int q = 0; q < QUERIES_SQL.length; q++) {
            assertThat(federation.query(QUERIES_SQL[q]).count().block(QUERY_TIMEOUT)).as(QUERIES_SQL[q]).isEqualTo(EXPECTED[q]);
        }
        awaitNoConnectionAcquired();
    }

    /** One query of the storm, read in one of three ways; never signals an error (failures are collected). */
    private static Mono<Void> one(int i, Random random, Map<String, AtomicInteger> outcomes, List<String> failures) {
        int q = random.nextInt(QUERIES_SQL.length);
        int mode = random.nextInt(3);
        Flux<Row> rows = federation.query(QUERIES_SQL[q]);
        Mono<Long> read;
        String kind;
        if (mode == 0) {
            Duration delay = Duration.ofNanos(random.nextInt(20_000_000));
            read = rows.takeUntilOther(Mono.delay(delay)).count();
            kind = "cancelled after a delay";
        } else if (mode == 1) {
            int n = random.nextInt(50);
            read = rows.take(n, true).count()
                    .doOnNext(c -> check(c == Math.min(n, EXPECTED[q]), "take(" + n + ") gave " + c + " rows"));
            kind = "take(n)";
        } else {
            read = rows.count().doOnNext(c -> check(c == EXPECTED[q], "full read gave " + c + " of " + EXPECTED[q] + " rows"));
            kind = "full read";
        }
        return read.timeout(QUERY_TIMEOUT)
                .doOnSuccess(c -> outcomes.computeIfAbsent(kind, k -> new AtomicInteger()).incrementAndGet())
                .onErrorResume(e -> {
                    String what = e instanceof TimeoutException ? "hung (no end within " + QUERY_TIMEOUT + ")" : e.toString();
                    failures.add("query " + i + " (" + kind + ", " + QUERIES_SQL[q] + "): " + what);
                    return Mono.empty();
                })
                .then();
    }

    private static void check(boolean ok, String message) {
        if (!ok) {
            throw new IllegalStateException(message);
        }
    }

    private static void awaitNoConnectionAcquired() {
        ShopFixture.awaitNoConnectionAcquired(databases);
    }
}
