package dev.tributary.core;

import static dev.tributary.core.TxFixture.ALL;
import static dev.tributary.core.TxFixture.H2;
import static dev.tributary.core.TxFixture.MARIA;
import static dev.tributary.core.TxFixture.PG;
import static dev.tributary.core.TxFixture.TIMEOUT;
import static dev.tributary.core.TxFixture.add;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.TransactionHooks.Step;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * Best-effort mode (a saga): commits in turn, compensates in reverse order. Recovery of a saga after a crash is in
 * {@link CrashRecoveryTest}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class BestEffortTest {

    private static final String PREFIX = "tx_saga";
    private static final TransactionOptions SAGA = TransactionOptions.builder()
            .mode(TransactionOptions.Mode.BEST_EFFORT).build();
    private volatile @Nullable String failCommitOn;
    private Databases dbs;

    @BeforeAll
    void start() {
        dbs = builder().build();
        TxFixture.dropLog(dbs, PREFIX);
    }

    private Databases.Builder builder() {
        return TxFixture.builder("saga", "saga", PREFIX, s -> { }).transactionHooks((step, gid, db) -> {
            if (step == Step.SAGA_COMMIT && db.equals(failCommitOn)) {
                return Mono.error(new IllegalStateException("injected commit failure on " + db));
            }
            return Mono.empty();
        });
    }

    @AfterAll
    void stop() {
        TxFixture.close(dbs);
    }

    @BeforeEach
    void reset() {
        failCommitOn = null;
        dbs.recover().block(TIMEOUT);
        TxFixture.resetAccounts(dbs);
    }

    /** Takes 10 from account 1 in each database, registering the compensation that gives it back. */
    private Flux<Long> withdraw(GlobalSession session) {
        return Flux.fromIterable(ALL).concatMap(db -> add(session, db, 1, -10)
                .flatMap(n -> session.on(db).compensateWith("UPDATE tx_acct SET balance = balance + "
                        + session.on(db).dialect().bindMarker(0) + " WHERE id = " + session.on(db).dialect().bindMarker(1),
                        10L, 1).thenReturn(n)));
    }

    @Test
    void stepsCommitOneAfterAnotherAndTheLogIsEmptyAfterwards() {
        StepVerifier.create(dbs.inTransaction(SAGA, this::withdraw)).expectNext(1L, 1L, 1L).verifyComplete();
        assertThat(TxFixture.balances(dbs, 1)).containsValues(90L, 90L, 90L);
        assertThat(TxFixture.logRecords(dbs, PREFIX)).isZero();
        assertThat(TxFixture.inDoubt(dbs)).isEmpty();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void aFailedCommitCompensatesTheCommittedStepsInReverseOrder() {
        failCommitOn = H2;
        StepVerifier.create(dbs.inTransaction(SAGA, this::withdraw))
                .expectNextCount(3)
                .expectErrorSatisfies(e -> {
                    assertThat(e).isInstanceOf(TransactionOutcomeException.class);
                    TransactionOutcomeException o = (TransactionOutcomeException) e;
                    assertThat(o.outcome()).isEqualTo(TransactionOutcomeException.Outcome.COMPENSATED);
                    assertThat(o.compensated()).containsExactly(MARIA, PG);
                    assertThat(o.getMessage()).contains("'h2'");
                    assertThat(o.getCause()).hasMessageContaining("injected commit failure on h2");
                })
                .verify(TIMEOUT);
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
        assertThat(TxFixture.logRecords(dbs, PREFIX)).isZero();
        TxFixture.awaitConnectionsReturned(dbs);
    }

    @Test
    void aFailedFirstCommitRollsBackWithNothingToCompensate() {
        failCommitOn = PG;
        StepVerifier.create(dbs.inTransaction(SAGA, this::withdraw))
                .expectNextCount(3)
                .expectErrorMessage("injected commit failure on pg")
                .verify(TIMEOUT);
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
    }

    @Test
    void aCompensationGivenAsWorkRunsInProcess() {
        failCommitOn = MARIA;
        StepVerifier.create(dbs.inTransaction(SAGA, session -> add(session, PG, 1, -5)
                        .then(session.on(PG).compensateWith(s -> add2(s, 5)))
                        .then(add(session, MARIA, 1, -5))))
                .expectNext(1L)
                .expectErrorSatisfies(e -> assertThat(((TransactionOutcomeException) e).compensated()).containsExactly(PG))
                .verify(TIMEOUT);
        assertThat(TxFixture.balances(dbs, 1)).containsValues(100L, 100L, 100L);
    }

    private static Mono<Long> add2(Session s, long amount) {
        return s.update("UPDATE tx_acct SET balance = balance + " + s.dialect().bindMarker(0) + " WHERE id = 1", amount);
    }
}
