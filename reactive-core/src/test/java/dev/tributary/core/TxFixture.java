package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * The three databases of the transaction tests (PostgreSQL, MariaDB, H2 in memory) with an account table in each
 * ({@code tx_acct}: id, balance), the decision log in PostgreSQL under a table prefix of the test's own, and helpers
 * to read balances and the branches left in doubt.
 */
final class TxFixture {

    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final String PG = "pg";
    static final String MARIA = "maria";
    static final String H2 = "h2";
    static final List<String> ALL = List.of(PG, MARIA, H2);
    static final String PG_URL = PostgresDatabaseTest.URL;
    static final String MARIA_URL = System.getenv().getOrDefault("TRIBUTARY_MARIADB_URL",
            "r2dbc:mariadb://root@127.0.0.1:3306/test");
    static final String TABLE = "tx_acct";

    private TxFixture() {
    }

    static String h2Url(String name) {
        return "r2dbc:h2:mem:///tx_" + name + "?options=DB_CLOSE_DELAY=-1";
    }

    /** A builder with the three databases and transactions logged in PostgreSQL. */
    static Databases.Builder builder(String h2Name, String node, String tablePrefix, Consumer<TransactionSettings.Builder> more) {
        TransactionSettings.Builder settings = TransactionSettings.builder().logDatabase(PG).nodeId(node)
                .tablePrefix(tablePrefix).recoverOnStart(false);
        more.accept(settings);
        return Databases.builder()
                .database(PG, PG_URL, PoolSettings.builder().maxSize(6).build())
                .database(MARIA, MARIA_URL, PoolSettings.builder().maxSize(6).build())
                .database(H2, h2Url(h2Name), PoolSettings.builder().maxSize(6).build())
                .transactions(settings.build());
    }

    /** Creates (or empties) the account table in each database, with accounts 1 and 2 at 100 each. */
    static void resetAccounts(Databases dbs) {
        for (String name : ALL) {
            Database db = dbs.get(name);
            db.update("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INT PRIMARY KEY, balance BIGINT NOT NULL)")
                    .then(db.update("DELETE FROM " + TABLE))
                    .then(db.update("INSERT INTO " + TABLE + " (id, balance) VALUES (1, 100)"))
                    .then(db.update("INSERT INTO " + TABLE + " (id, balance) VALUES (2, 100)"))
                    .block(TIMEOUT);
        }
    }

    static String m(Database db, int i) {
        return db.dialect().bindMarker(i);
    }

    /** Adds {@code amount} to account {@code id} in {@code database} through the session. */
    static Mono<Long> add(GlobalSession session, String database, int id, long amount) {
        Session s = session.on(database);
        return s.update("UPDATE " + TABLE + " SET balance = balance + " + s.dialect().bindMarker(0) + " WHERE id = "
                + s.dialect().bindMarker(1), amount, id);
    }

    static long balance(Databases dbs, String database, int id) {
        Database db = dbs.get(database);
        return db.query("SELECT balance FROM " + TABLE + " WHERE id = " + m(db, 0), Long.class, id).single().block(TIMEOUT);
    }

    static Map<String, Long> balances(Databases dbs, int id) {
        Map<String, Long> map = new java.util.LinkedHashMap<>();
        for (String name : ALL) {
            map.put(name, balance(dbs, name, id));
        }
        return map;
    }

    /** The Tributary branches in doubt in {@code database}. */
    static List<String> inDoubt(Databases dbs, String database) {
        PooledDatabase db = ((ManagedDatabase) dbs.get(database)).writer();
        return db.withConnection(c -> BranchSql.inDoubt(c, db.dialect())).collectList().block(TIMEOUT);
    }

    /** Every Tributary branch in doubt in the three databases. */
    static List<String> inDoubt(Databases dbs) {
        List<String> all = new ArrayList<>();
        for (String name : ALL) {
            for (String branch : inDoubt(dbs, name)) {
                all.add(name + ":" + branch);
            }
        }
        return all;
    }

    /** The number of COMMIT and SAGA records in the decision log (ABORT records are kept a day by design). */
    static long logRecords(Databases dbs, String tablePrefix) {
        return dbs.get(PG).query("SELECT COUNT(*) FROM " + tablePrefix + "_log WHERE state <> 'ABORT'", Long.class)
                .single().block(TIMEOUT);
    }

    /** Waits, polling every 10 ms off the caller's thread, until {@code condition} holds (at most {@link #TIMEOUT}). */
    static void await(java.util.function.BooleanSupplier condition) {
        Mono.fromCallable(condition::getAsBoolean)
                .subscribeOn(reactor.core.scheduler.Schedulers.boundedElastic())
                .filter(ok -> ok)
                .repeatWhenEmpty(ticks -> ticks.delayElements(Duration.ofMillis(10)))
                .block(TIMEOUT);
    }

    /** Waits until every pool has its connections back (cleanup after a cancel runs asynchronously). */
    static void awaitConnectionsReturned(Databases dbs) {
        await(() -> ALL.stream().allMatch(n -> dbs.get(n).poolMetrics().acquired() == 0));
    }

    /** Waits until this process no longer runs transaction {@code gid} (a background commit retry ended). */
    static void awaitInactive(Databases dbs, String gid) {
        await(() -> !dbs.transactionManager().isActive(gid));
    }

    /** Drops the log tables of {@code tablePrefix} so that each test class starts empty. */
    static void dropLog(Databases dbs, String tablePrefix) {
        Database pg = dbs.get(PG);
        Flux.just("_log", "_node", "_compensation")
                .concatMap(t -> pg.update("DROP TABLE IF EXISTS " + tablePrefix + t))
                .then()
                .block(TIMEOUT);
    }

    static void close(Databases dbs) {
        if (dbs != null) {
            dbs.close().block(TIMEOUT);
        }
    }
}
