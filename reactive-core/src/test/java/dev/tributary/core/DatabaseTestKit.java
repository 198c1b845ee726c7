package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.Parameters;
import io.r2dbc.spi.R2dbcBadGrammarException;
import io.r2dbc.spi.R2dbcType;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * The behaviour every kind of database must show, run against H2, PostgreSQL and MariaDB (as r2dbc-spi's
 * {@code TestKit}). An implementing class provides a {@link Database} over a pool of at most
 * {@link #POOL_SIZE} connections and the SQL that differs between databases.
 */
interface DatabaseTestKit {

    int POOL_SIZE = 4;
    Duration TIMEOUT = Duration.ofSeconds(20);
    String TABLE = "core_kit_items";

    /** The database under test. */
    Database database();

    /** A query of exactly 100,000 rows of one integer column, 1 to 100,000 in order. */
    String manyRowsSql();

    /** A query of one row and column: an id of the server session of the connection it runs on. */
    String connectionIdSql();

    /** The column type for a date and time without time zone. */
    default String timestampType() {
        return "TIMESTAMP";
    }

    /** Creates the kit's table if missing (called once per class by the implementations). */
    default void createTable() {
        Database db = database();
        StepVerifier.create(db.update("DROP TABLE IF EXISTS " + TABLE)
                        .then(db.update("CREATE TABLE " + TABLE + " (id INT PRIMARY KEY, name VARCHAR(100), qty BIGINT,"
                                + " price DECIMAL(10,2), active BOOLEAN, born DATE, seen " + timestampType() + ")")))
                .expectNextCount(1)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @BeforeEach
    default void emptyTheTable() {
        StepVerifier.create(database().update("DELETE FROM " + TABLE)).expectNextCount(1).expectComplete().verify(TIMEOUT);
    }

    private String m(int index) {
        return database().dialect().bindMarker(index);
    }

    private void insert(int id, String name) {
        StepVerifier.create(database().update("INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", id, name))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    private long count(String where) {
        return database().query("SELECT COUNT(*) FROM " + TABLE + " WHERE " + where, Long.class).single().block(TIMEOUT);
    }

    /** Waits until every connection is back in the pool: cleanup after a cancel runs asynchronously. */
    private void assertAllConnectionsReturned() {
        StepVerifier.create(Flux.interval(Duration.ofMillis(5))
                        .map(tick -> database().poolMetrics().acquired())
                        .filter(acquired -> acquired == 0)
                        .next())
                .expectNext(0)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void queryEmitsDetachedRowsWithColumnNames() {
        insert(1, "one");
        insert(2, "two");
        StepVerifier.create(database().query("SELECT id, name FROM " + TABLE + " ORDER BY id"))
                .assertNext(row -> {
                    assertThat(row.columnNames()).map(String::toLowerCase).containsExactly("id", "name");
                    assertThat(row.get("ID", Integer.class)).isEqualTo(1);
                    assertThat(row.get("name")).isEqualTo("one");
                })
                .assertNext(row -> assertThat(row.get(1)).isEqualTo("two"))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void rowsOfOneResultShareOneColumnsInstance() {
        insert(1, "one");
        insert(2, "two");
        List<Row> rows = database().query("SELECT id, name FROM " + TABLE).collectList().block(TIMEOUT);
        assertThat(rows).hasSize(2);
        assertThat(rows.get(0).columns()).isSameAs(rows.get(1).columns());
    }

    @Test
    default void bindsOfEveryCommonTypeRoundTrip() {
        LocalDate born = LocalDate.of(1999, 12, 31);
        LocalDateTime seen = LocalDateTime.of(2024, 2, 29, 13, 45, 6);
        StepVerifier.create(database().update("INSERT INTO " + TABLE + " (id, name, qty, price, active, born, seen) VALUES ("
                                + m(0) + ", " + m(1) + ", " + m(2) + ", " + m(3) + ", " + m(4) + ", " + m(5) + ", " + m(6) + ")",
                        7, "Grüße 'quoted'", 9_000_000_000L, new BigDecimal("12.34"), true, born, seen))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(database().query("SELECT id, name, qty, price, active, born, seen FROM " + TABLE
                        + " WHERE id = " + m(0) + " AND qty = " + m(1) + " AND price = " + m(2) + " AND active = " + m(3)
                        + " AND born = " + m(4) + " AND seen = " + m(5) + " AND name = " + m(6),
                        7, 9_000_000_000L, new BigDecimal("12.34"), true, born, seen, "Grüße 'quoted'"))
                .assertNext(row -> {
                    assertThat(row.get("id", Integer.class)).isEqualTo(7);
                    assertThat(row.get("name")).isEqualTo("Grüße 'quoted'");
                    assertThat(row.get("qty", Long.class)).isEqualTo(9_000_000_000L);
                    assertThat(row.get("price", BigDecimal.class)).isEqualByComparingTo("12.34");
                    assertThat(row.get("active", Boolean.class)).isTrue();
                    assertThat(row.get("born", LocalDate.class)).isEqualTo(born);
                    assertThat(row.get("seen", LocalDateTime.class)).isEqualTo(seen);
                })
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void plainNullBindsAsTypedNullInInsertAndWhere() {
        String sql = "INSERT INTO " + TABLE + " (id, name, qty, price, active, born, seen) VALUES ("
                + m(0) + ", " + m(1) + ", " + m(2) + ", " + m(3) + ", " + m(4) + ", " + m(5) + ", " + m(6) + ")";
        StepVerifier.create(database().update(sql, 1, null, null, null, null, null, null))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        for (String column : List.of("qty", "price", "active", "born", "seen", "name")) {
            StepVerifier.create(database().query("SELECT id FROM " + TABLE + " WHERE " + column + " = " + m(0), (Object) null))
                    .as("WHERE " + column + " = NULL matches nothing")
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(count("name IS NULL AND qty IS NULL AND price IS NULL AND active IS NULL AND born IS NULL AND seen IS NULL"))
                .isEqualTo(1);
    }

    @Test
    default void nullWithExplicitTypeBinds() {
        StepVerifier.create(database().update("INSERT INTO " + TABLE + " (id, qty) VALUES (" + m(0) + ", " + m(1) + ")",
                        1, Parameters.in(R2dbcType.BIGINT)))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("qty IS NULL")).isEqualTo(1);
    }

    @Test
    default void namedParametersBindByNameAndLeaveQuotedTextAlone() {
        insert(1, "one");
        insert(2, ":name");
        Map<String, Object> params = Map.of("id", 1);
        StepVerifier.create(database().query("SELECT id, ':id' AS lit FROM " + TABLE
                        + " WHERE (id = :id OR name = ':name') AND id >= :id ORDER BY id", params))
                .assertNext(row -> {
                    assertThat(row.get("id", Integer.class)).isEqualTo(1);
                    assertThat(row.get("lit")).isEqualTo(":id");
                })
                .assertNext(row -> assertThat(row.get("id", Integer.class)).isEqualTo(2))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void namedParameterWithoutValueSignalsError() {
        StepVerifier.create(database().query("SELECT id FROM " + TABLE + " WHERE id = :id", Map.of("other", 1)))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(":id"))
                .verify(TIMEOUT);
    }

    record Item(int id, String name, long quantity, LocalDate bornOn) {
    }

    @Test
    default void queryMapsRowsOntoRecordsByColumnName() {
        StepVerifier.create(database().update("INSERT INTO " + TABLE + " (id, name, qty, born) VALUES (" + m(0) + ", " + m(1) + ", "
                        + m(2) + ", " + m(3) + ")", 3, "three", 30L, LocalDate.of(2020, 1, 2)))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(database().query("SELECT name AS NAME, qty AS quantity, born AS born_on, id FROM " + TABLE, Item.class))
                .expectNext(new Item(3, "three", 30L, LocalDate.of(2020, 1, 2)))
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void updateEmitsTheNumberOfChangedRows() {
        insert(1, "a");
        insert(2, "b");
        insert(3, "c");
        StepVerifier.create(database().update("UPDATE " + TABLE + " SET name = " + m(0) + " WHERE id >= " + m(1), "z", 2))
                .expectNext(2L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("name = 'z'")).isEqualTo(2);
    }

    @Test
    default void batchRunsTheStatementOncePerBindSetInOrder() {
        List<Object[]> sets = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            sets.add(new Object[] {i, "n" + i});
        }
        StepVerifier.create(database().batch("INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", sets))
                .assertNext(counts -> assertThat(counts).containsExactly(1, 1, 1, 1, 1))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("id BETWEEN 1 AND 5")).isEqualTo(5);
    }

    @Test
    default void batchBindsNullsAndRunsNothingForAnEmptyList() {
        String insert = "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")";
        List<Object[]> sets = new ArrayList<>();
        for (int i = 1; i <= 250; i++) {
            sets.add(new Object[] {i, i % 2 == 0 ? null : "n" + i});
        }
        StepVerifier.create(database().batch(insert, List.of()))
                .assertNext(counts -> assertThat(counts).isEmpty())
                .expectComplete()
                .verify(TIMEOUT);
        StepVerifier.create(database().batch(insert, sets))
                .assertNext(counts -> assertThat(counts).hasSize(250).containsOnly(1L))
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("name IS NULL")).isEqualTo(125);
        assertThat(count("name = 'n249'")).isEqualTo(1);
        assertAllConnectionsReturned();
    }

    @Test
    default void transactionCommitsWhenItsPublisherCompletes() {
        StepVerifier.create(database().inTransaction(session -> session.update(
                        "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "tx")
                        .then(session.query("SELECT name FROM " + TABLE + " WHERE id = 1", String.class).single())))
                .expectNext("tx")
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("id = 1")).isEqualTo(1);
        assertAllConnectionsReturned();
    }

    @Test
    default void transactionRunsAtTheRequestedIsolationLevel() {
        StepVerifier.create(database().inTransaction(IsolationLevel.SERIALIZABLE, session -> session.update(
                        "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "serial")))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(count("id = 1")).isEqualTo(1);
        assertAllConnectionsReturned();
    }

    @Test
    default void failingTransactionRollsBackAndReturnsItsConnection() {
        StepVerifier.create(database().inTransaction(session -> session.update(
                        "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "tx")
                        .then(Mono.error(new IllegalStateException("boom")))))
                .expectErrorMessage("boom")
                .verify(TIMEOUT);
        assertAllConnectionsReturned();
        assertThat(count("id = 1")).isZero();
    }

    @Test
    default void transactionFailingOnBadSqlRollsBackAndReturnsItsConnection() {
        StepVerifier.create(database().inTransaction(session -> session.update(
                        "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "tx")
                        .then(session.update("INSERT INTO core_kit_no_such_table VALUES (1)"))))
                .expectError(R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
        assertAllConnectionsReturned();
        assertThat(count("id = 1")).isZero();
    }

    @Test
    default void cancelledTransactionRollsBackAndReturnsItsConnection() {
        Flux<Row> tx = database().inTransaction(session -> session.update(
                        "INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "tx")
                .thenMany(session.query(manyRowsSql())));
        StepVerifier.create(tx.take(10)).expectNextCount(10).expectComplete().verify(TIMEOUT);
        assertAllConnectionsReturned();
        assertThat(count("id = 1")).isZero();
    }

    @Test
    default void sessionUsedAfterItsTransactionEndedSignalsError() {
        Session session = database().inTransaction(Mono::just).blockLast(TIMEOUT);
        StepVerifier.create(session.query("SELECT 1"))
                .expectError(IllegalStateException.class)
                .verify(TIMEOUT);
    }

    @Test
    default void cancellingAQueryMidStreamReturnsTheConnectionAndThePoolStaysUsable() {
        for (int round = 0; round < 3; round++) {
            StepVerifier.create(database().query(manyRowsSql()).take(10))
                    .expectNextCount(10)
                    .expectComplete()
                    .verify(TIMEOUT);
            assertAllConnectionsReturned();
            StepVerifier.create(database().query("SELECT COUNT(*) FROM " + TABLE, Long.class))
                    .expectNext(0L)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertAllConnectionsReturned();
    }

    private Object connectionIdOfNextQuery() {
        assertAllConnectionsReturned();
        Object id = database().query(connectionIdSql()).next().map(row -> row.get(0)).block(TIMEOUT);
        assertAllConnectionsReturned();
        return id;
    }

    @Test
    default void takingTheFirstRowOfASmallResultKeepsTheConnection() {
        Object before = connectionIdOfNextQuery();
        StepVerifier.create(database().query("SELECT id FROM " + TABLE + " UNION ALL SELECT 1 FROM " + TABLE
                        + " UNION ALL SELECT 2 FROM " + TABLE).next())
                .expectComplete()
                .verify(TIMEOUT);
        insert(1, "a");
        insert(2, "b");
        StepVerifier.create(database().query("SELECT id FROM " + TABLE + " ORDER BY id").next().map(row -> row.get(0, Integer.class)))
                .expectNext(1)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(connectionIdOfNextQuery()).as("the pool reuses its most recently returned connection").isEqualTo(before);
    }

    @Test
    default void cancellingALargeResultReplacesTheConnection() {
        Object before = connectionIdOfNextQuery();
        StepVerifier.create(database().query(manyRowsSql()).take(10)).expectNextCount(10).expectComplete().verify(TIMEOUT);
        assertThat(connectionIdOfNextQuery()).as("the cancelled connection was closed, not reused").isNotEqualTo(before);
    }

    @Test
    default void badSqlSignalsBadGrammarAndReturnsTheConnection() {
        StepVerifier.create(database().query("SELEKT nothing FROM nowhere"))
                .expectError(R2dbcBadGrammarException.class)
                .verify(TIMEOUT);
        assertAllConnectionsReturned();
        StepVerifier.create(database().query("SELECT COUNT(*) FROM " + TABLE, Long.class))
                .expectNext(0L)
                .expectComplete()
                .verify(TIMEOUT);
    }

    @Test
    default void poolMetricsCountTheConnectionInUse() {
        insert(1, "one");
        StepVerifier.create(database().query("SELECT id FROM " + TABLE).map(row -> database().poolMetrics().acquired()))
                .expectNext(1)
                .expectComplete()
                .verify(TIMEOUT);
        assertAllConnectionsReturned();
        PoolMetrics metrics = database().poolMetrics();
        assertThat(metrics.maxAllocated()).isEqualTo(POOL_SIZE);
        assertThat(metrics.allocated()).isBetween(1, POOL_SIZE);
        assertThat(metrics.idle()).isEqualTo(metrics.allocated());
        assertThat(metrics.pending()).isZero();
    }

    @Test
    default void queryEmitsOnlyWhatWasRequested() {
        StepVerifier.create(database().query(manyRowsSql(), Long.class), 0)
                .expectSubscription()
                .thenRequest(2)
                .expectNext(1L, 2L)
                .thenRequest(1)
                .expectNext(3L)
                .thenCancel()
                .verify(TIMEOUT);
        assertAllConnectionsReturned();
    }

    @Test
    default void nothingRunsBeforeSubscription() {
        database().update("INSERT INTO " + TABLE + " (id, name) VALUES (" + m(0) + ", " + m(1) + ")", 1, "lazy");
        database().query("DELETE FROM " + TABLE);
        assertThat(count("1 = 1")).isZero();
        assertThat(database().poolMetrics().acquired()).isZero();
    }
}
