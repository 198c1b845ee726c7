package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

/**
 * A PostgreSQL server with {@code max_prepared_transactions = 0} (the spare server on 5433, left at its defaults by
 * {@code .ci/spare-servers up}) is refused at its first use in a two-phase transaction, before anything is written.
 */
class TwoPhaseRefusalTest {

    static final String SPARE_PG_URL = System.getenv().getOrDefault("TRIBUTARY_SPARE_PG_URL",
            "r2dbc:postgresql://postgres@127.0.0.1:5433/test");
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Test
    void anH2FileDatabaseThatDelaysItsWritesIsRefusedBeforeAnythingIsWritten() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("tx_refusal");
        Databases dbs = Databases.builder()
                .database("file", "r2dbc:h2:file:///" + dir.resolve("db").toAbsolutePath())
                .database("mem", TxFixture.h2Url("refusal_mem"))
                .transactions(TransactionSettings.builder().logDatabase("mem").nodeId("refusal")
                        .tablePrefix("tx_refusal").recoverOnStart(false).build())
                .build();
        try {
            for (String db : new String[] {"file", "mem"}) {
                dbs.get(db).update("CREATE TABLE IF NOT EXISTS tx_refused (id INT PRIMARY KEY)")
                        .then(dbs.get(db).update("DELETE FROM tx_refused")).block(TIMEOUT);
            }
            StepVerifier.create(dbs.inTransaction(session -> session.on("mem").update("INSERT INTO tx_refused VALUES (1)")
                            .then(session.on("file").update("INSERT INTO tx_refused VALUES (1)"))))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TwoPhaseCommitUnavailableException.class)
                            .hasMessageContaining("'file'").hasMessageContaining("WRITE_DELAY = 500")
                            .hasMessageContaining("?options=WRITE_DELAY=0"))
                    .verify(TIMEOUT);
            for (String db : new String[] {"file", "mem"}) {
                assertThat(dbs.get(db).query("SELECT COUNT(*) FROM tx_refused", Long.class).single().block(TIMEOUT))
                        .as(db).isZero();
            }
        } finally {
            dbs.close().block(TIMEOUT);
        }
    }

    @Test
    void aPostgresWithoutPreparedTransactionsIsRefusedBeforeAnythingIsWritten() {
        Databases dbs = Databases.builder()
                .database("spare", SPARE_PG_URL)
                .database("h2", TxFixture.h2Url("refusal"))
                .transactions(TransactionSettings.builder().logDatabase("h2").nodeId("refusal")
                        .tablePrefix("tx_refusal").recoverOnStart(false).build())
                .build();
        try {
            for (String db : new String[] {"spare", "h2"}) {
                dbs.get(db).update("CREATE TABLE IF NOT EXISTS tx_refused (id INT PRIMARY KEY)")
                        .then(dbs.get(db).update("DELETE FROM tx_refused")).block(TIMEOUT);
            }
            for (int attempt = 0; attempt < 2; attempt++) {
                StepVerifier.create(dbs.inTransaction(session -> session.on("h2").update("INSERT INTO tx_refused VALUES (1)")
                                .then(session.on("spare").update("INSERT INTO tx_refused VALUES (1)"))))
                        .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(TwoPhaseCommitUnavailableException.class)
                                .hasMessageContaining("'spare'")
                                .hasMessageContaining("max_prepared_transactions = 0")
                                .hasMessageContaining("ALTER SYSTEM SET max_prepared_transactions = 64")
                                .hasMessageContaining("restart")
                                .satisfies(t -> assertThat(((TwoPhaseCommitUnavailableException) t).database())
                                        .isEqualTo("spare")))
                        .verify(TIMEOUT);
            }
            for (String db : new String[] {"spare", "h2"}) {
                assertThat(dbs.get(db).query("SELECT COUNT(*) FROM tx_refused", Long.class).single().block(TIMEOUT))
                        .as(db).isZero();
            }
            // the same work runs in best-effort mode, which needs no prepare
            StepVerifier.create(dbs.inTransaction(TransactionOptions.builder().mode(TransactionOptions.Mode.BEST_EFFORT).build(),
                            session -> session.on("h2").update("INSERT INTO tx_refused VALUES (2)")
                                    .then(session.on("spare").update("INSERT INTO tx_refused VALUES (2)"))))
                    .expectNext(1L)
                    .verifyComplete();
            assertThat(dbs.get("spare").query("SELECT COUNT(*) FROM tx_refused", Long.class).single().block(TIMEOUT))
                    .isEqualTo(1);
            TxFixture.await(() -> dbs.get("spare").poolMetrics().acquired() == 0 && dbs.get("h2").poolMetrics().acquired() == 0);
        } finally {
            dbs.close().then(Mono.empty()).block(TIMEOUT);
        }
    }
}
