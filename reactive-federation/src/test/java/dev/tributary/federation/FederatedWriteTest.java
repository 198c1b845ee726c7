package dev.tributary.federation;

import static dev.tributary.federation.WriteFixture.TIMEOUT;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Database;
import dev.tributary.core.GlobalSession;
import io.r2dbc.spi.R2dbcDataIntegrityViolationException;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.StepVerifier;

/** Federation.update on H2, PostgreSQL and MariaDB: routing, streamed INSERT ... SELECT, keyed writes, refusals. */
class FederatedWriteTest {

    private static WriteFixture data;
    private static Federation federation;
    private static Federation smallBatches;

    @BeforeAll
    static void setUp() {
        data = WriteFixture.get();
        federation = Federation.over(data.databases);
        smallBatches = Federation.over(data.databases,
                FederationOptions.builder().writeBatchSize(2).inListBatchSize(2).build());
    }

    @BeforeEach
    void resetRows() {
        data.reset();
    }

    static Stream<String> kinds() {
        return WriteFixture.KINDS.stream();
    }

    /** The two databases other than {@code kind}. */
    private static List<String> others(String kind) {
        return WriteFixture.KINDS.stream().filter(k -> !k.equals(kind)).toList();
    }

    /** Row {@code id} of dml_items as {@link WriteFixture#rows} shows it. */
    private static String item(int id) {
        return java.util.Arrays.toString(WriteFixture.items().get(id - 1));
    }

    private static void expectCount(Mono<Long> update, long count) {
        StepVerifier.create(update).expectNext(count).expectComplete().verify(TIMEOUT);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aStatementOnOneDatabaseIsRoutedToItWhole(String kind) {
        expectCount(federation.update("INSERT INTO " + kind + ".dml_copy (id, name, price) VALUES (?, ?, ?)",
                100, "new", new java.math.BigDecimal("9.99")), 1);
        expectCount(federation.update("INSERT INTO " + kind + ".dml_copy SELECT * FROM " + kind + ".dml_items"
                + " WHERE id IN (SELECT id FROM " + kind + ".dml_keys)"), 5);
        expectCount(federation.update("UPDATE " + kind + ".dml_copy SET name = :name WHERE id = :id",
                Map.of("name", "renamed", "id", 100)), 1);
        expectCount(federation.update("DELETE FROM " + kind + ".dml_copy WHERE id = ? AND name IS NULL", 3), 1);
        assertThat(data.rows(kind, "dml_copy")).containsExactly(item(2), item(5), item(7), item(11),
                "[100, renamed, 9.99, null]");
        data.awaitAllConnectionsReturned();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void anInsertSelectAcrossDatabasesStreamsEveryRowWithNullsDecimalsAndDatesIntoTheTarget(String kind) {
        String a = others(kind).get(0);
        String b = others(kind).get(1);
        expectCount(smallBatches.update("INSERT INTO " + kind + ".dml_copy (id, name, price, made)"
                + " SELECT i.id, i.name, i.price, i.made FROM " + a + ".dml_items i"
                + " WHERE i.id IN (SELECT k.id FROM " + b + ".dml_keys k) AND i.id < ?", 100), 5);
        assertThat(data.rows(kind, "dml_copy")).containsExactlyElementsOf(data.rows(a, "dml_items").stream()
                .filter(r -> List.of("[2,", "[3,", "[5,", "[7,", "[11").contains(r.substring(0, 3))).toList());
        data.databases.get(kind).update("DELETE FROM dml_copy").block(TIMEOUT);
        expectCount(federation.update("INSERT INTO " + kind + ".dml_copy SELECT * FROM " + a + ".dml_items"), 12);
        assertThat(data.rows(kind, "dml_copy")).containsExactlyElementsOf(data.rows(a, "dml_items"));
        data.awaitAllConnectionsReturned();
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void updateAndDeleteWithAnInSubqueryOnAnotherDatabaseBindEachDistinctKeyOnceInBatches(String kind) {
        String other = others(kind).get(0);
        // keys 2, 2, 3, 5, 5, 7, 11, 13 in batches of two; ids 3, 7 and 11 have no name
        expectCount(smallBatches.update("UPDATE " + kind + ".dml_items SET price = price + ? WHERE id IN"
                + " (SELECT id FROM " + other + ".dml_keys) AND name IS NOT NULL", 1), 2);
        assertThat(data.rows(kind, "dml_items")).contains(item(1), item(2).replace("2.50", "3.50"),
                item(5).replace("6.25", "7.25"), item(3), item(7));
        List<String> before = data.rows(kind, "dml_items");
        expectCount(smallBatches.update("DELETE FROM " + kind + ".dml_items WHERE id IN (SELECT id FROM " + other
                + ".dml_keys WHERE id > ?)", 100), 0);
        assertThat(data.rows(kind, "dml_items")).isEqualTo(before);
        expectCount(smallBatches.update("DELETE FROM " + kind + ".dml_items WHERE id IN (SELECT id FROM " + other
                + ".dml_keys)"), 5);
        assertThat(data.count(kind, "SELECT COUNT(*) FROM dml_items")).isEqualTo(7);
        data.awaitAllConnectionsReturned();
    }

    @Test
    void everyRefusedShapeFailsBeforeAnythingIsWritten() {
        Map<String, Class<? extends Throwable>> refused = new java.util.LinkedHashMap<>();
        refused.put("UPDATE pgw.dml_items SET name = 'x' WHERE id NOT IN (SELECT id FROM mariaw.dml_keys)",
                UnsupportedSqlException.class);
        refused.put("DELETE FROM h2w.dml_items WHERE EXISTS (SELECT 1 FROM pgw.dml_keys k WHERE k.id = 2)",
                UnsupportedSqlException.class);
        refused.put("DELETE FROM mariaw.dml_items WHERE id = 1 OR id IN (SELECT id FROM h2w.dml_keys)",
                UnsupportedSqlException.class);
        refused.put("UPDATE pgw.dml_items i SET name = k.id FROM h2w.dml_keys k WHERE k.id = i.id",
                UnsupportedSqlException.class);
        refused.put("UPDATE h2w.dml_items SET price = (SELECT MAX(id) FROM pgw.dml_keys)", UnsupportedSqlException.class);
        refused.put("DELETE i FROM mariaw.dml_items i JOIN pgw.dml_keys k ON k.id = i.id", UnsupportedSqlException.class);
        refused.put("INSERT INTO pgw.dml_copy (id, name) SELECT id FROM h2w.dml_items", UnsupportedSqlException.class);
        refused.put("INSERT INTO pgw.dml_copy SELECT * FROM h2w.dml_items RETURNING id", UnsupportedSqlException.class);
        refused.put("MERGE INTO pgw.dml_copy c USING pgw.dml_items i ON (c.id = i.id) WHEN MATCHED THEN DELETE",
                UnsupportedSqlException.class);
        refused.put("DROP TABLE pgw.dml_copy", UnsupportedSqlException.class);
        refused.put("TRUNCATE TABLE h2w.dml_items", UnsupportedSqlException.class);
        refused.put("INSERT INTO nowhere.dml_copy SELECT * FROM h2w.dml_items", UnknownTableException.class);
        refused.put("INSERT INTO pgw.dml_copy (id, colour) SELECT id, name FROM h2w.dml_items", UnknownColumnException.class);
        refused.put("UPDATE mariaw.dml_items SET colour = 'x' WHERE id IN (SELECT id FROM h2w.dml_keys)",
                UnknownColumnException.class);
        Map<String, List<String>> before = snapshot();
        refused.forEach((sql, error) -> StepVerifier.create(federation.update(sql))
                .expectErrorSatisfies(e -> assertThat(e).as(sql).isInstanceOf(error).hasMessageContaining(". "))
                .verify(TIMEOUT));
        assertThat(snapshot()).isEqualTo(before);
        StepVerifier.create(federation.query("DELETE FROM pgw.dml_items"))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnsupportedSqlException.class)
                        .hasMessageContaining("DELETE statement"))
                .verify(TIMEOUT);
        data.awaitAllConnectionsReturned();
    }

    private static Map<String, List<String>> snapshot() {
        Map<String, List<String>> rows = new java.util.TreeMap<>();
        for (String kind : WriteFixture.KINDS) {
            for (String table : List.of("dml_items", "dml_copy", "dml_keys")) {
                rows.put(kind + "." + table, data.rows(kind, table));
            }
        }
        return rows;
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void aFailureInTheMiddleOfAnInsertSelectRollsTheTargetBackAndReturnsEveryConnection(String kind) {
        Database target = data.databases.get(kind);
        target.update("INSERT INTO dml_copy (id, name) VALUES (7, 'already there')").block(TIMEOUT);
        // batches of two: 1-2 and 3-4 and 5-6 are written, then 7-8 fails on the duplicate key
        StepVerifier.create(smallBatches.update("INSERT INTO " + kind + ".dml_copy SELECT * FROM "
                        + others(kind).get(0) + ".dml_items"))
                .expectError(R2dbcDataIntegrityViolationException.class)
                .verify(TIMEOUT);
        assertThat(data.counters.rowsWritten.get()).as("rows written before the failure").isGreaterThanOrEqualTo(5);
        assertThat(data.rows(kind, "dml_copy")).containsExactly("[7, already there, null, null]");
        data.awaitAllConnectionsReturned();
    }

    @Test
    void cancellingAnInsertSelectMidStreamRollsBackAndReturnsEveryConnection() {
        for (String kind : List.of("h2w", "mariaw")) {
            Sinks.One<Boolean> firstBatches = Sinks.one();
            data.counters.onWritten = written -> {
                if (written >= 2000) {
                    firstBatches.tryEmitValue(true);
                }
            };
            StepVerifier.create(federation.update("INSERT INTO " + kind + ".dml_big SELECT id, v FROM pgw.dml_series")
                            .takeUntilOther(firstBatches.asMono()))
                    .expectComplete()
                    .verify(TIMEOUT);
            data.awaitAllConnectionsReturned();
            assertThat(data.count(kind, "SELECT COUNT(*) FROM dml_big")).as("rolled back").isZero();
            data.counters.reset();
        }
        expectCount(federation.update("INSERT INTO h2w.dml_big SELECT id, v FROM pgw.dml_series WHERE id <= 3000"), 3000);
        data.awaitAllConnectionsReturned();
    }

    @Test
    void aMoveBetweenDatabasesInsideAGlobalSessionCommitsOrRollsBackBoth() {
        Database maria = data.databases.get("mariaw");
        Database pg = data.databases.get("pgw");
        String insert = "INSERT INTO mariaw.dml_copy SELECT * FROM pgw.dml_items WHERE id <= 3";
        String delete = "DELETE FROM pgw.dml_items WHERE id <= 3";
        // the global session of the nested transactions; Databases.inTransaction will build the same
        StepVerifier.create(maria.inTransaction(sm -> pg.inTransaction(sp -> {
                    GlobalSession session = name -> name.equals("mariaw") ? sm : sp;
                    return federation.update(session, insert)
                            .flatMap(moved -> federation.update(session, delete).map(deleted -> moved + deleted))
                            .then(Mono.error(new IllegalStateException("the business rule failed")));
                })))
                .expectErrorMessage("the business rule failed")
                .verify(TIMEOUT);
        assertThat(data.count("mariaw", "SELECT COUNT(*) FROM dml_copy")).isZero();
        assertThat(data.count("pgw", "SELECT COUNT(*) FROM dml_items")).isEqualTo(12);

        StepVerifier.create(maria.inTransaction(sm -> pg.inTransaction(sp -> {
                    GlobalSession session = name -> name.equals("mariaw") ? sm : sp;
                    return federation.update(session, insert)
                            .flatMap(moved -> federation.update(session, delete).map(deleted -> moved + deleted));
                })))
                .expectNext(6L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(data.rows("mariaw", "dml_copy")).hasSize(3).allMatch(r -> r.startsWith("[1,") || r.startsWith("[2,")
                || r.startsWith("[3,"));
        assertThat(data.count("pgw", "SELECT COUNT(*) FROM dml_items")).isEqualTo(9);
        data.awaitAllConnectionsReturned();
    }
}
