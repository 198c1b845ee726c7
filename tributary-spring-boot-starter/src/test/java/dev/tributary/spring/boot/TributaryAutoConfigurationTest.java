package dev.tributary.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tributary.core.Databases;
import dev.tributary.federation.Federation;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import reactor.test.StepVerifier;

/** Which beans the auto-configuration creates, from which properties, and when it backs off. */
class TributaryAutoConfigurationTest {

    static final Duration TIMEOUT = Duration.ofSeconds(30);

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
            .withPropertyValues(
                    "tributary.databases.customers.url=r2dbc:h2:mem:///starter_ac_customers?options=DB_CLOSE_DELAY=-1",
                    "tributary.databases.orders.url=r2dbc:h2:mem:///starter_ac_orders?options=DB_CLOSE_DELAY=-1");

    @Test
    void twoConfiguredDatabasesGiveTheRegistryAndAFederationThatJoinsAcrossThem() {
        runner.run(context -> {
            Databases databases = context.getBean(Databases.class);
            assertThat(databases.names()).containsExactly("customers", "orders");
            Federation federation = context.getBean(Federation.class);
            StepVerifier.create(databases.get("customers").update("CREATE TABLE starter_ac_c (id INT, name VARCHAR(20))")
                            .then(databases.get("customers").update("INSERT INTO starter_ac_c VALUES (1, 'Ada')"))
                            .then(databases.get("orders").update("CREATE TABLE starter_ac_o (id INT, customer_id INT)"))
                            .then(databases.get("orders").update("INSERT INTO starter_ac_o VALUES (10, 1)"))
                            .thenMany(federation.query("SELECT c.name, o.id FROM starter_ac_c c JOIN starter_ac_o o"
                                    + " ON o.customer_id = c.id")))
                    .assertNext(row -> assertThat(row.get("name", String.class)).isEqualTo("Ada"))
                    .expectComplete()
                    .verify(TIMEOUT);
        });
    }

    @Test
    void withoutReactiveFederationOnTheClasspathThereIsNoFederationBean() {
        runner.withClassLoader(new FilteredClassLoader(Federation.class)).run(context -> {
            assertThat(context).hasSingleBean(Databases.class);
            assertThat(context).doesNotHaveBean("tributaryFederation");
        });
    }

    @Test
    void theApplicationsOwnBeansReplaceTheAutoConfiguredOnes() {
        Databases own = Databases.builder().database("mine", "r2dbc:h2:mem:///starter_ac_mine").build();
        runner.withBean(Databases.class, () -> own, b -> b.setDestroyMethodName(""))
                .run(context -> {
                    assertThat(context).getBean(Databases.class).isSameAs(own);
                    assertThat(context).hasSingleBean(Federation.class);
                });
        assertThat(own.isClosed()).as("the context closed the application's registry too").isTrue();
        runner.withBean("myFederation", Federation.class, () -> Federation.over(
                        Databases.builder().database("mine", "r2dbc:h2:mem:///starter_ac_mine2").build()))
                .run(context -> assertThat(context).getBean(Federation.class)
                        .isSameAs(context.getBean("myFederation")));
    }

    @Test
    void closingTheContextClosesTheRegistry() {
        Databases[] seen = new Databases[1];
        runner.run(context -> seen[0] = context.getBean(Databases.class));
        assertThat(seen[0].isClosed()).isTrue();
    }

    @Test
    void pausingTheContextAsTheTestContextCacheDoesKeepsTheRegistryOpen() {
        runner.run(context -> {
            Databases databases = context.getBean(Databases.class);
            context.getSourceApplicationContext(org.springframework.context.ConfigurableApplicationContext.class).pause();
            assertThat(databases.isClosed()).isFalse();
            context.getSourceApplicationContext(org.springframework.context.ConfigurableApplicationContext.class).start();
            assertThat(databases.isClosed()).isFalse();
        });
    }

    @Test
    void environmentVariablesAddAndOverrideDatabasesTheSpringWay() {
        runner.withInitializer(context -> context.getEnvironment().getPropertySources().addFirst(
                        new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                                Map.of("TRIBUTARY_DATABASES_AUDIT_URL", "r2dbc:h2:mem:///starter_ac_audit",
                                        "TRIBUTARY_DATABASES_ORDERS_POOL_MAXSIZE", "3"))))
                .run(context -> {
                    Databases databases = context.getBean(Databases.class);
                    assertThat(databases.names()).containsExactlyInAnyOrder("customers", "orders", "audit");
                    assertThat(databases.get("orders").poolMetrics().maxAllocated()).isEqualTo(3);
                });
    }

    @Test
    void withoutADatabaseTheStartupFailureSaysWhichKeyToSet() {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(TributaryAutoConfiguration.class))
                .run(context -> assertThat(context).hasFailed().getFailure()
                        .rootCause().hasMessageContaining("tributary.databases.<name>.url"));
    }
}
