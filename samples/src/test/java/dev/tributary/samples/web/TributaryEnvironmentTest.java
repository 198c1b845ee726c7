package dev.tributary.samples.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

class TributaryEnvironmentTest {

    private static StandardEnvironment environment(Map<String, Object> yaml, Map<String, Object> env) {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addLast(new MapPropertySource("application.yml", yaml));
        environment.getPropertySources().replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, env));
        return environment;
    }

    @Test
    void databasePropertiesAreFlattenedAndOtherTributaryKeysLeftOut() {
        StandardEnvironment environment = environment(Map.of(
                "tributary.databases.customers.url", "r2dbc:h2:mem:///c",
                "tributary.databases.orders.url", "r2dbc:h2:mem:///o",
                "tributary.databases.orders.pool.max-size", "4",
                "tributary.default-database", "orders",
                "tributary.samples.seed", "true",
                "server.port", "0"), Map.of());

        assertThat(TributaryEnvironment.databaseProperties(environment)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tributary.databases.customers.url", "r2dbc:h2:mem:///c",
                "tributary.databases.orders.url", "r2dbc:h2:mem:///o",
                "tributary.databases.orders.pool.max-size", "4",
                "tributary.default-database", "orders"));
    }

    @Test
    void anEnvironmentVariableOverridesTheYamlValueAndCanAddADatabase() {
        StandardEnvironment environment = environment(
                Map.of("tributary.databases.orders.url", "r2dbc:h2:mem:///o"),
                Map.of("TRIBUTARY_DATABASES_ORDERS_URL", "r2dbc:postgresql://pg/orders",
                        "TRIBUTARY_DATABASES_AUDIT_URL", "r2dbc:h2:mem:///audit"));

        assertThat(TributaryEnvironment.databaseProperties(environment)).containsExactlyInAnyOrderEntriesOf(Map.of(
                "tributary.databases.orders.url", "r2dbc:postgresql://pg/orders",
                "tributary.databases.audit.url", "r2dbc:h2:mem:///audit"));
    }
}
