package dev.tributary.core;

import static dev.tributary.core.TxFixture.ALL;
import static dev.tributary.core.TxFixture.H2;
import static dev.tributary.core.TxFixture.MARIA;
import static dev.tributary.core.TxFixture.PG;
import static dev.tributary.core.TxFixture.TIMEOUT;
import static dev.tributary.core.TxFixture.add;
import static dev.tributary.core.TxFixture.balance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.test.StepVerifier;

/** Two-phase commit across PostgreSQL, MariaDB and H2: commit, rollback, cancel, concurrency, the optimizations. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TwoPhaseCommitTest {

    private static final String PREFIX = "tx_t2pc";
    private final List<TransactionHooks.Step> steps = new CopyOnWriteArrayList<>();
    private Databases dbs;

    @BeforeAll
    void start() {
        dbs = TxFixture.builder("t2pc", "t2pc", PREFIX, s -> { })
                .transactionHooks((step, gid, db) -> Mono.fromRunnable(() -> steps.add(step)))
                .build();
        TxFixture.dropLog(dbs, PREFIX);
    }

    @AfterAll
    void stop() {
        TxFixture.close(dbs);
    }

    @BeforeEach
    void reset() {
        TxFixture.resetAccounts(dbs);
        steps.clear();
    }

    private static List<List<String>> combinations() {
        return List.of(List.of(PG, MARIA), List.of(PG, H2), List.of(MARIA, H2), List.of(PG, MARIA, H2));
    }

    @Test
    void commitsAcrossEveryPairAndAllThreeDatabases() {
        int round = 0;
        for (List<String> databases : combinations()) {
            round++;
            long amount = round;
            StepVerifier.create(dbs.inTransaction(session -> Flux.fromIterable(databases)
                            .concatMap(db -> add(session, db, 1, amount))))
                    .expectNextCount(databases.size())
                    .expectComplete()
                    .verify(TIMEOUT);
            for (String db : databases) {
                assertThat(balance(dbs, db, 1)).as(db + " after round " + round).isGreaterThan(100);
            }
            assertThat(steps).contains(TransactionHooks.Step.AFTER_DECISION);
            steps.clear();
        }
        assertThat(balance(dbs, PG, 1)).isEqualTo(100 + 1 + 2 + 4);
        assertThat(balance(dbs, MARIA, 1)).isEqualTo(100 + 1 + 3 + 4);
        assertThat(balance(dbs, H2, 1)).isEqualTo(100 + 2 + 3 + 4);
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
        assertThat(TxFixture.logRecords(dbs, PREFIX)).isZero();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void anErrorInTheWorkRollsBackEveryPairAndAllThree() {
        for (List<String> databases : combinations()) {
            StepVerifier.create(dbs.inTransaction(session -> Flux.fromIterable(databases)
                            .concatMap(db -> add(session, db, 1, 50))
                            .concatWith(Mono.error(new IllegalStateException("business rule")))))
                    .expectNextCount(databases.size())
                    .expectErrorMessage("business rule")
                    .verify(TIMEOUT);
        }
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void aFailingStatementRollsBackTheOthers() {
        StepVerifier.create(dbs.inTransaction(session -> add(session, PG, 1, 10)
                        .then(add(session, H2, 1, 10))
                        .then(session.on(MARIA).update("UPDATE no_such_table_tx SET x = 1"))))
                .expectError(io.r2dbc.spi.R2dbcException.class)
                .verify(TIMEOUT);
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void cancellingInTheMiddleOfTheWorkRollsBackAndReturnsEveryConnection() {
        StepVerifier.create(dbs.inTransaction(session -> add(session, PG, 1, 7)
                        .then(add(session, MARIA, 1, 7))
                        .then(add(session, H2, 1, 7))
                        .thenMany(Flux.concat(Mono.just("written"), Mono.never()))))
                .expectNext("written")
                .thenCancel()
                .verify(TIMEOUT);
        TxFixture.awaitConnectionsReturned(dbs);
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
        // the pools still work: every connection handed out next completes its statements
        for (int i = 0; i < 8; i++) {
            StepVerifier.create(dbs.inTransaction(session -> add(session, PG, 2, 1).then(add(session, MARIA, 2, 1))))
                    .expectNextCount(1)
                    .expectComplete()
                    .verify(TIMEOUT);
        }
        assertThat(balance(dbs, PG, 2)).isEqualTo(108);
        assertThat(balance(dbs, MARIA, 2)).isEqualTo(108);
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
    }

    @Test
    void workOnSeveralDatabasesRunsConcurrently() {
        StepVerifier.create(dbs.inTransaction(session -> Flux.range(0, 12)
                        .flatMap(i -> Mono.defer(() -> add(session, ALL.get(i % 3), 1 + i % 2, 1))
                                .subscribeOn(Schedulers.parallel()), 12)))
                .expectNextCount(12)
                .expectComplete()
                .verify(TIMEOUT);
        for (String db : ALL) {
            assertThat(balance(dbs, db, 1) + balance(dbs, db, 2)).as(db).isEqualTo(204);
        }
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void oneWriterCommitsInOnePhaseWithoutTheLog() {
        StepVerifier.create(dbs.inTransaction(session -> session.on(PG)
                        .query("SELECT balance FROM tx_acct WHERE id = 1", Long.class)
                        .concatWith(session.on(H2).query("SELECT balance FROM tx_acct WHERE id = 1", Long.class))
                        .concatWith(add(session, MARIA, 1, 5))))
                .expectNext(100L, 100L, 1L)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(balance(dbs, MARIA, 1)).isEqualTo(105);
        assertThat(steps).as("no prepare, no decision").isEmpty();
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void readersAreReleasedInOnePhaseAndDoNotCountAsWriters() {
        StepVerifier.create(dbs.inTransaction(session -> session.on(MARIA)
                        .query("SELECT balance FROM tx_acct WHERE id = 2", Long.class)
                        .concatWith(add(session, PG, 1, 1))
                        .concatWith(add(session, H2, 1, 1))))
                .expectNextCount(3)
                .expectComplete()
                .verify(TIMEOUT);
        assertThat(steps).contains(TransactionHooks.Step.PREPARE);
        assertThat(steps.stream().filter(s -> s == TransactionHooks.Step.PREPARE)).as("only the writers prepare").hasSize(2);
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
    }

    @Test
    void aSessionOutsideItsTransactionFails() {
        GlobalSession[] kept = new GlobalSession[1];
        StepVerifier.create(dbs.inTransaction(session -> {
                    kept[0] = session;
                    return add(session, PG, 1, 1);
                }))
                .expectNext(1L)
                .expectComplete()
                .verify(TIMEOUT);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> kept[0].on(H2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("has ended");
    }

    @Test
    void anUnknownDatabaseIsNamedWithTheKnownOnes() {
        StepVerifier.create(dbs.inTransaction(session -> session.on("nope").update("DELETE FROM x")))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(UnknownDatabaseException.class)
                        .hasMessageContaining("nope").hasMessageContaining("maria"))
                .verify(TIMEOUT);
    }
}
