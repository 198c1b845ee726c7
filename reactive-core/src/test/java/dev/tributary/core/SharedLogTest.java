package dev.tributary.core;

import static dev.tributary.core.TxFixture.ALL;
import static dev.tributary.core.TxFixture.TIMEOUT;
import static dev.tributary.core.TxFixture.add;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.TransactionHooks.Step;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

/**
 * Two registries (two application instances, nodes {@code txa} and {@code txb}) share one decision log. Each reads
 * time from a clock of its own that the test moves: neither resolves the other's transactions while the owner's
 * lease holds; once it has expired, the other resolves them by the log.
 */
class SharedLogTest {

    private static final String PREFIX = "tx_shared";
    private final AtomicLong clockA = new AtomicLong(1_000_000);
    private final AtomicLong clockB = new AtomicLong(1_000_000);
    private volatile @Nullable Step holdAt;
    private final Sinks.Empty<Void> hold = Sinks.empty();
    private Databases a;
    private Databases b;

    @BeforeEach
    void start() {
        a = TxFixture.builder("shared", "txa", PREFIX, s -> s.leaseDuration(Duration.ofSeconds(10)))
                .transactionClock(clockA::get)
                .transactionHooks((step, gid, db) -> step == holdAt ? hold.asMono() : Mono.empty())
                .build();
        b = TxFixture.builder("shared", "txb", PREFIX, s -> s.leaseDuration(Duration.ofSeconds(10)))
                .transactionClock(clockB::get)
                .build();
        a.recover().block(TIMEOUT);
        TxFixture.resetAccounts(a);
    }

    @AfterEach
    void stop() {
        hold.tryEmitEmpty();
        TxFixture.close(a);
        TxFixture.close(b);
    }

    private Mono<Void> transfer() {
        return a.inTransaction(session -> Flux.fromIterable(ALL)
                .concatMap(db -> add(session, db, 1, -10).then(add(session, db, 2, 10)))).then();
    }

    @Test
    void aLiveOwnersUndecidedTransactionIsLeftAloneThenRolledBackOnceItsLeaseExpires() {
        holdAt = Step.BEFORE_DECISION;
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        transfer().subscribe(v -> { }, outcome::set);
        TxFixture.await(() -> TxFixture.inDoubt(a).size() == 3);

        RecoveryReport alive = b.recover().block(TIMEOUT);
        assertThat(alive.skipped()).hasSize(3);
        assertThat(alive.rolledBack()).isEmpty();
        assertThat(TxFixture.inDoubt(a)).hasSize(3);

        clockB.addAndGet(Duration.ofSeconds(11).toMillis());
        RecoveryReport expired = b.recover().block(TIMEOUT);
        assertThat(expired.skipped()).isEmpty();
        // PostgreSQL and H2 end the branch at once; MariaDB only once the owner's connection is gone
        assertThat(expired.rolledBack()).hasSizeGreaterThanOrEqualTo(2);

        hold.tryEmitEmpty();
        TxFixture.await(() -> outcome.get() != null);
        assertThat(outcome.get()).hasMessageContaining("decided ABORT");
        assertThat(TxFixture.inDoubt(a)).isEmpty();
        assertThat(TxFixture.balances(a, 1)).containsValues(100L, 100L, 100L);
        TxFixture.awaitConnectionsReturned(a);
    }

    @Test
    void aLiveOwnersDecidedTransactionIsLeftAloneThenCommittedOnceItsLeaseExpires() {
        holdAt = Step.AFTER_DECISION;
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        boolean[] done = new boolean[1];
        transfer().subscribe(v -> { }, outcome::set, () -> done[0] = true);
        TxFixture.await(() -> TxFixture.logRecords(a, PREFIX) == 1);

        assertThat(b.recover().block(TIMEOUT).skipped()).hasSize(3);
        clockB.addAndGet(Duration.ofSeconds(11).toMillis());
        RecoveryReport expired = b.recover().block(TIMEOUT);
        assertThat(expired.committed()).hasSizeGreaterThanOrEqualTo(2);
        assertThat(expired.rolledBack()).isEmpty();

        hold.tryEmitEmpty();
        TxFixture.await(() -> done[0] || outcome.get() != null);
        TxFixture.await(() -> TxFixture.inDoubt(a).isEmpty());
        assertThat(TxFixture.balances(a, 1)).containsValues(90L, 90L, 90L);
        assertThat(TxFixture.balances(a, 2)).containsValues(110L, 110L, 110L);
    }

    @Test
    void aRegistryWithAnotherLogNeverResolvesTheseBranchesWhateverItsClockSays() {
        Databases other = TxFixture.builder("shared", "txc", "tx_other", s -> s.leaseDuration(Duration.ofSeconds(10)))
                .transactionClock(() -> clockB.get() + Duration.ofDays(2).toMillis())
                .build();
        try {
            holdAt = Step.BEFORE_DECISION;
            AtomicReference<Throwable> outcome = new AtomicReference<>();
            boolean[] done = new boolean[1];
            transfer().subscribe(v -> { }, outcome::set, () -> done[0] = true);
            TxFixture.await(() -> TxFixture.inDoubt(a).size() == 3);

            // node txa has no lease in tx_other's log: its branches are not tx_other's to judge, even "expired"
            RecoveryReport report = other.recover().block(TIMEOUT);
            assertThat(report.skipped()).hasSize(3);
            assertThat(report.rolledBack()).isEmpty();
            assertThat(report.committed()).isEmpty();
            assertThat(TxFixture.inDoubt(a)).hasSize(3);

            hold.tryEmitEmpty();
            TxFixture.await(() -> done[0] || outcome.get() != null);
            assertThat(outcome.get()).isNull();
            assertThat(TxFixture.inDoubt(a)).isEmpty();
            assertThat(TxFixture.balances(a, 1)).containsValues(90L, 90L, 90L);
            assertThat(TxFixture.balances(a, 2)).containsValues(110L, 110L, 110L);
        } finally {
            TxFixture.close(other);
        }
    }
}
