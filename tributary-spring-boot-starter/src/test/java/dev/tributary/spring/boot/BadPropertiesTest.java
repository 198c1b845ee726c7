package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.DatabaseConfigurationException;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** A bad property fails the startup with a message that names its key and says what is wrong. */
class BadPropertiesTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
            .withPropertyValues("tributary.databases.orders.url=r2dbc:h2:mem:///starter_bad_orders");

    private void failsWith(String property, String... messageParts) {
        runner.withPropertyValues(property).run(context -> {
            assertThat(context).hasFailed();
            Throwable e = context.getStartupFailure();
            while (e != null && !(e instanceof DatabaseConfigurationException)) {
                e = e.getCause();
            }
            assertThat(e).as("a DatabaseConfigurationException in %s", context.getStartupFailure()).isNotNull();
            assertThat(e.getMessage()).contains(messageParts);
        });
    }

    @Test
    void anUnknownDriverInAUrlNamesTheKeyAndTheDriver() {
        failsWith("tributary.databases.orders.url=r2dbc:nosuchdb://app@db/orders",
                "tributary.databases.orders.url", "driver 'nosuchdb'", "add the driver's jar");
    }

    @Test
    void anUnknownDriverInAReplicaUrlNamesTheReplicasKey() {
        failsWith("tributary.databases.orders.replicas[0].url=r2dbc:nosuchdb://app@db/orders",
                "tributary.databases.orders.replicas[0].url");
    }

    @Test
    void aUrlTheDriverRejectsNamesTheDatabasesKey() {
        failsWith("tributary.databases.orders.url=r2dbc:h2:tcp://127.0.0.1:1/orders", "Invalid tributary.databases.orders:",
                "protocol option tcp is unsupported");
    }

    @Test
    void aMalformedUrlNamesTheKey() {
        failsWith("tributary.databases.orders.url=postgresql://db/orders", "tributary.databases.orders.url",
                "not an R2DBC URL");
    }

    @Test
    void aPoolMaxSizeOfZeroNamesTheKeyAndTheRule() {
        failsWith("tributary.databases.orders.pool.max-size=0", "tributary.databases.orders.pool.max-size",
                "maxSize must be at least 1, was 0");
    }

    @Test
    void aNegativeTimeoutNamesTheKey() {
        failsWith("tributary.databases.orders.resilience.statement-timeout=-1s",
                "tributary.databases.orders.resilience.statement-timeout", "'PT-1S'");
        failsWith("tributary.resilience.retry.min-backoff=-5ms", "tributary.resilience.retry.min-backoff");
        failsWith("tributary.health.validation-timeout=-1s", "tributary.health.validation-timeout");
    }

    @Test
    void crossFieldRulesNameTheGroup() {
        failsWith("tributary.databases.orders.pool.initial-size=20", "tributary.databases.orders.pool",
                "initialSize (20) must not exceed maxSize (10)");
    }

    @Test
    void aDatabaseWithoutUrlNamesTheKeyToSet() {
        failsWith("tributary.databases.audit.pool.max-size=3", "tributary.databases.audit.url", "no R2DBC URL");
    }

    @Test
    void anAliasOfAnUnknownDefaultDatabaseIsRefusedWithTheRegisteredNames() {
        failsWith("tributary.default-database=ordres", "'ordres'", "[orders]");
    }
}
