package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.r2dbc.spi.IsolationLevel;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

/** The validating builders of the transaction settings and options, and their properties. */
class TransactionSettingsTest {

    @Test
    void settingsNameTheFieldThatIsMissingOrWrong() {
        assertThatThrownBy(() -> TransactionSettings.builder().nodeId("a").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("logDatabase is required");
        assertThatThrownBy(() -> TransactionSettings.builder().logDatabase("log").build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nodeId is required");
        assertThatThrownBy(() -> TransactionSettings.builder().nodeId("a.b"))
                .hasMessageContaining("nodeId").hasMessageContaining("a.b");
        assertThatThrownBy(() -> TransactionSettings.builder().nodeId("x".repeat(33))).hasMessageContaining("nodeId");
        assertThatThrownBy(() -> TransactionSettings.builder().logDatabase(" ")).hasMessageContaining("logDatabase");
        assertThatThrownBy(() -> TransactionSettings.builder().leaseDuration(Duration.ofMillis(10)))
                .hasMessageContaining("leaseDuration").hasMessageContaining("PT0.01S");
        assertThatThrownBy(() -> TransactionSettings.builder().tablePrefix("1bad;"))
                .hasMessageContaining("tablePrefix").hasMessageContaining("1bad;");
        assertThatThrownBy(() -> TransactionSettings.builder().nodeId(null)).isInstanceOf(NullPointerException.class)
                .hasMessage("nodeId");
        TransactionSettings s = TransactionSettings.builder().logDatabase("log").nodeId("app-1").build();
        assertThat(s.recoverOnStart()).isTrue();
        assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(30));
        assertThat(s.tablePrefix()).isEqualTo("tributary_tx");
    }

    @Test
    void optionsDefaultToTwoPhaseAndRefuseANonPositiveTimeout() {
        assertThat(TransactionOptions.defaults().mode()).isEqualTo(TransactionOptions.Mode.TWO_PHASE);
        assertThat(TransactionOptions.defaults().timeout()).isNull();
        assertThatThrownBy(() -> TransactionOptions.builder().timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("timeout").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> TransactionOptions.builder().mode(null)).hasMessage("mode");
        TransactionOptions o = TransactionOptions.builder().mode(TransactionOptions.Mode.BEST_EFFORT)
                .isolation(IsolationLevel.SERIALIZABLE).timeout(Duration.ofSeconds(5)).build();
        assertThat(o.mode()).isEqualTo(TransactionOptions.Mode.BEST_EFFORT);
        assertThat(o.isolation()).isEqualTo(IsolationLevel.SERIALIZABLE);
    }

    @Test
    void propertiesBindTheTransactionSettings() {
        Databases dbs = Databases.fromProperties(Map.of(
                "tributary.databases.log.url", "r2dbc:h2:mem:///tx_props?options=DB_CLOSE_DELAY=-1",
                "tributary.transactions.log-database", "log",
                "tributary.transactions.node-id", "node-7",
                "tributary.transactions.recover-on-start", "false",
                "tributary.transactions.lease-duration", "45s",
                "tributary.transactions.table-prefix", "tx_props"));
        try {
            TransactionSettings s = dbs.transactionManager().settings();
            assertThat(s.logDatabase()).isEqualTo("log");
            assertThat(s.nodeId()).isEqualTo("node-7");
            assertThat(s.recoverOnStart()).isFalse();
            assertThat(s.leaseDuration()).isEqualTo(Duration.ofSeconds(45));
            assertThat(s.tablePrefix()).isEqualTo("tx_props");
            StepVerifier.create(dbs.recover()).assertNext(r -> assertThat(r.found()).isEmpty()).verifyComplete();
        } finally {
            dbs.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void environmentStyleKeysBindToo() {
        Databases dbs = Databases.fromProperties(Map.of(
                "TRIBUTARY_DATABASES_LOG_URL", "r2dbc:h2:mem:///tx_env?options=DB_CLOSE_DELAY=-1",
                "TRIBUTARY_TRANSACTIONS_LOG_DATABASE", "log",
                "TRIBUTARY_TRANSACTIONS_NODE_ID", "n1",
                "TRIBUTARY_TRANSACTIONS_RECOVER_ON_START", "false"));
        try {
            assertThat(dbs.transactionManager().settings().nodeId()).isEqualTo("n1");
        } finally {
            dbs.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void badTransactionPropertiesNameTheKey() {
        String url = "r2dbc:h2:mem:///tx_bad?options=DB_CLOSE_DELAY=-1";
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.log.url", url,
                "tributary.transactions.log-database", "log", "tributary.transactions.node-id", "n",
                "tributary.transactions.recover-on-start", "maybe")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.transactions.recover-on-start").hasMessageContaining("maybe");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.log.url", url,
                "tributary.transactions.log-db", "log")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.transactions.log-db").hasMessageContaining("log-database");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.log.url", url,
                "tributary.transactions.log-database", "log")))
                .isInstanceOf(DatabaseConfigurationException.class).hasMessageContaining("nodeId is required");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.log.url", url,
                "tributary.transactions.log-database", "nolog", "tributary.transactions.node-id", "n")))
                .isInstanceOf(DatabaseConfigurationException.class).hasMessageContaining("'nolog' is not registered");
    }

    @Test
    void aRegistryWithoutTransactionSettingsSaysHowToAddThem() {
        Databases dbs = Databases.builder().database("h2", "r2dbc:h2:mem:///tx_none?options=DB_CLOSE_DELAY=-1").build();
        try {
            StepVerifier.create(dbs.inTransaction(session -> session.on("h2").update("SELECT 1")))
                    .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DatabaseConfigurationException.class)
                            .hasMessageContaining("Databases.Builder.transactions")
                            .hasMessageContaining("tributary.transactions.log-database"))
                    .verify(Duration.ofSeconds(10));
        } finally {
            dbs.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void compensationBindsSurviveTheLog() {
        Object[] binds = {null, "a:b", 1, 2L, (short) 3, new java.math.BigDecimal("4.50"), 5.5, true,
                java.time.LocalDate.of(2026, 12, 6), java.time.LocalDateTime.of(2026, 12, 6, 4, 0), java.util.UUID.randomUUID(), ""};
        assertThat(CompensationBinds.decode(CompensationBinds.encode(binds))).containsExactly(binds);
        assertThatThrownBy(() -> CompensationBinds.encode(new Object[] {new Object()}))
                .hasMessageContaining("java.lang.Object").hasMessageContaining("cannot be written");
    }

    @Test
    void onlyPlainReadsCountAsReads() {
        assertThat(ReadOnlySql.isRead("SELECT * FROM t WHERE id = 1 FOR UPDATE")).isTrue();
        assertThat(ReadOnlySql.isRead(" /* c */ (SELECT 1)")).isTrue();
        assertThat(ReadOnlySql.isRead("WITH x AS (SELECT 1) SELECT * FROM x")).isTrue();
        assertThat(ReadOnlySql.isRead("WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x")).isFalse();
        assertThat(ReadOnlySql.isRead("SELECT * INTO t2 FROM t")).isFalse();
        assertThat(ReadOnlySql.isRead("INSERT INTO t VALUES (1) RETURNING id")).isFalse();
        assertThat(ReadOnlySql.isRead("UPDATE t SET a = 1 RETURNING a")).isFalse();
        assertThat(ReadOnlySql.isRead("CALL proc()")).isFalse();
    }
}
