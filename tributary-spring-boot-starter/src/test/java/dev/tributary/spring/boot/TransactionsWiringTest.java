package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.DatabaseConfigurationException;
import dev.tributary.core.Databases;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import reactor.core.publisher.Flux;
import reactor.test.StepVerifier;

/** tributary.transactions.* reaches the registry: transactions across databases work, with the log where it says. */
class TransactionsWiringTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
            .withPropertyValues(
                    "tributary.databases.obs_a.url=r2dbc:h2:mem:///obs_tx_a?options=DB_CLOSE_DELAY=-1",
                    "tributary.databases.obs_b.url=r2dbc:h2:mem:///obs_tx_b?options=DB_CLOSE_DELAY=-1");

    @Test
    void obs_aLogDatabaseTurnsOnTransactionsAcrossDatabasesWithTheGivenTablePrefix() {
        runner.withPropertyValues("tributary.transactions.log-database=obs_a",
                        "tributary.transactions.node-id=obs-node", "tributary.transactions.recover-on-start=false",
                        "tributary.transactions.lease-duration=10s", "tributary.transactions.table-prefix=obs_txlog")
                .run(context -> {
                    Databases databases = context.getBean(Databases.class);
                    StepVerifier.create(databases.get("obs_a").update("CREATE TABLE obs_tx_t (id INT)")
                                    .then(databases.get("obs_b").update("CREATE TABLE obs_tx_t (id INT)"))
                                    .thenMany(databases.inTransaction(tx -> Flux.concat(
                                            tx.on("obs_a").update("INSERT INTO obs_tx_t VALUES (1)"),
                                            tx.on("obs_b").update("INSERT INTO obs_tx_t VALUES (2)"))))
                                    .thenMany(databases.get("obs_a").query("SELECT COUNT(*) AS n FROM"
                                            + " INFORMATION_SCHEMA.TABLES WHERE LOWER(TABLE_NAME) = 'obs_txlog_log'")))
                            .assertNext(row -> assertThat(row.get("n", Long.class)).isEqualTo(1L))
                            .expectComplete()
                            .verify(TIMEOUT);
                });
    }

    @Test
    void obs_withoutALogDatabaseTransactionsAcrossDatabasesStayOff() {
        runner.run(context -> StepVerifier.create(context.getBean(Databases.class).inTransaction(tx -> Flux.empty()))
                .expectErrorSatisfies(e -> assertThat(e).isInstanceOf(DatabaseConfigurationException.class)
                        .hasMessageContaining("tributary.transactions.log-database"))
                .verify(TIMEOUT));
    }

    @Test
    void obs_withoutANodeIdTheHostsNameIsUsed() {
        assertThat(TransactionsWiring.hostNodeId()).matches("[a-z0-9_-]{1,32}");
        runner.withPropertyValues("tributary.transactions.log-database=obs_b",
                        "tributary.transactions.recover-on-start=false")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void obs_badTransactionPropertiesFailNamingTheirKey() {
        failsWith("tributary.transactions.node-id=not a node id", "Invalid tributary.transactions.node-id",
                "nodeId must be 1 to 32");
        failsWith("tributary.transactions.lease-duration=10ms", "Invalid tributary.transactions.lease-duration",
                "at least 100ms");
        failsWith("tributary.transactions.table-prefix=1x", "Invalid tributary.transactions.table-prefix");
        runner.withPropertyValues("tributary.transactions.log-database=obs_nowhere").run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootConfigurationError(context.getStartupFailure()))
                    .hasMessageContaining("Invalid tributary.transactions.log-database")
                    .hasMessageContaining("'obs_nowhere' is not registered");
        });
    }

    private void failsWith(String property, String... messageParts) {
        runner.withPropertyValues("tributary.transactions.log-database=obs_a", property).run(context -> {
            assertThat(context).hasFailed();
            assertThat(rootConfigurationError(context.getStartupFailure()).getMessage()).contains(messageParts);
        });
    }

    private static Throwable rootConfigurationError(Throwable failure) {
        Throwable e = failure;
        while (e != null && !(e instanceof DatabaseConfigurationException)) {
            e = e.getCause();
        }
        assertThat(e).as("a DatabaseConfigurationException in %s", failure).isNotNull();
        return e;
    }
}
