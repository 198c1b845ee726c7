package dev.tributary.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

class DatabasesPropertiesTest {

    private static final String H2 = "r2dbc:h2:mem:///core_props_";

    private Databases databases;

    @AfterEach
    void close() {
        if (databases != null) {
            databases.close().block(Duration.ofSeconds(10));
        }
    }

    @Test
    void dottedKeysRegisterDatabasesAliasesAndTheDefault() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tributary.databases.customers.url", H2 + "a?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.orders.url", H2 + "b?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.orders.aliases", "sales, billing");
        props.put("tributary.databases.orders.pool.max-size", "3");
        props.put("tributary.default-database", "orders");
        props.put("spring.application.name", "ignored");
        props.put("tributary.federation.memory-budget", "ignored: another module's key");
        databases = Databases.fromProperties(props);

        assertThat(databases.names()).containsExactly("customers", "orders");
        assertThat(databases.aliases()).containsExactlyInAnyOrderEntriesOf(Map.of("sales", "orders", "billing", "orders"));
        assertThat(databases.defaultDatabase().name()).isEqualTo("orders");
        assertThat(databases.get("billing").poolMetrics().maxAllocated()).isEqualTo(3);
    }

    @Test
    void environmentStyleKeysAreRead() {
        Map<String, String> env = Map.of(
                "TRIBUTARY_DATABASES_ORDER_ITEMS_URL", H2 + "c?options=DB_CLOSE_DELAY=-1",
                "TRIBUTARY_DATABASES_ORDER_ITEMS_POOL_MAX_SIZE", "2",
                "TRIBUTARY_DATABASES_ORDER_ITEMS_POOL_MAX_IDLE_TIME", "PT30S",
                "TRIBUTARY_DATABASES_ORDER_ITEMS_ALIASES", "LINES",
                "TRIBUTARY_DEFAULT_DATABASE", "ORDER_ITEMS",
                "TRIBUTARY_PG_URL", "an unrelated variable",
                "PATH", "/usr/bin");
        databases = Databases.fromProperties(env);

        assertThat(databases.names()).containsExactly("order_items");
        assertThat(databases.aliases()).isEqualTo(Map.of("lines", "order_items"));
        assertThat(databases.defaultDatabase().name()).isEqualTo("order_items");
        assertThat(databases.get("lines").poolMetrics().maxAllocated()).isEqualTo(2);
    }

    @Test
    void replicasAreReadInBracketDottedAndEnvironmentForms() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tributary.databases.orders.url", H2 + "rp?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.orders.pool.max-size", "2");
        props.put("tributary.databases.orders.replicas[0].url", H2 + "r0?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.orders.replicas[0].pool.max-size", "3");
        props.put("tributary.databases.orders.replicas.1.url", H2 + "r1?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.orders.replicas.1.pool.max-size", "4");
        props.put("TRIBUTARY_DATABASES_ORDERS_REPLICAS_2_URL", H2 + "r2?options=DB_CLOSE_DELAY=-1");
        props.put("TRIBUTARY_DATABASES_ORDERS_REPLICAS_2_POOL_MAX_SIZE", "5");
        databases = Databases.fromProperties(props);

        RoutedDatabase orders = (RoutedDatabase) databases.get("orders");
        assertThat(orders.all()).extracting(Database::name)
                .containsExactly("orders", "orders-replica-1", "orders-replica-2", "orders-replica-3");
        assertThat(orders.all()).extracting(db -> db.poolMetrics().maxAllocated()).containsExactly(2, 3, 4, 5);
        StepVerifier.create(orders.query("SELECT 1 AS n", Integer.class)).expectNext(1).verifyComplete();
    }

    @Test
    void aReplicaWithoutAUrlOrWithAnUnknownSettingIsRefusedNamingTheKey() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of(
                "tributary.databases.orders.url", H2 + "x",
                "tributary.databases.orders.replicas[0].pool.max-size", "3")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("replica 0 of database 'orders'").hasMessageContaining("replicas[0].url");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of(
                "tributary.databases.orders.url", H2 + "x",
                "tributary.databases.orders.replicas[0].user", "me")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.databases.orders.replicas[0].user")
                .hasMessageContaining("replicas[<i>].url");
    }

    @Test
    void javaPropertiesAreRead() {
        Properties props = new Properties();
        props.setProperty("tributary.databases.main.url", H2 + "d?options=DB_CLOSE_DELAY=-1");
        props.setProperty("tributary.databases.main.pool.initial-size", "2");
        databases = Databases.fromProperties(props);

        StepVerifier.create(databases.warmup()).expectNext(2).expectComplete().verify(Duration.ofSeconds(10));
        assertThat(databases.defaultDatabase().name()).isEqualTo("main");
    }

    @Test
    void durationsAcceptUnitsIsoAndMillis() {
        assertThat(DatabasesProperties.duration("250ms")).isEqualTo(Duration.ofMillis(250));
        assertThat(DatabasesProperties.duration("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DatabasesProperties.duration("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DatabasesProperties.duration("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DatabasesProperties.duration("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(DatabasesProperties.duration("PT30S")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DatabasesProperties.duration("pt1m")).isEqualTo(Duration.ofMinutes(1));
        assertThat(DatabasesProperties.duration("1500")).isEqualTo(Duration.ofMillis(1500));
        assertThatThrownBy(() -> DatabasesProperties.duration("soon")).hasMessageContaining("'soon' is not a duration");
    }

    @Test
    void poolOptionsMapOntoPoolSettings() {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put("tributary.databases.x.url", H2 + "e?options=DB_CLOSE_DELAY=-1");
        props.put("tributary.databases.x.pool.initial-size", 0);
        props.put("tributary.databases.x.pool.maxSize", "7");
        props.put("tributary.databases.x.pool.min-idle", "1");
        props.put("tributary.databases.x.pool.max-idle-time", "5m");
        props.put("tributary.databases.x.pool.max-life-time", Duration.ofHours(1));
        props.put("tributary.databases.x.pool.max-acquire-time", "3s");
        props.put("tributary.databases.x.pool.max-create-connection-time", "4000");
        props.put("tributary.databases.x.pool.max-validation-time", "PT2S");
        props.put("tributary.databases.x.pool.validation-query", "SELECT 1");
        props.put("tributary.databases.x.pool.acquire-retry", "2");
        props.put("tributary.databases.x.pool.post-allocate-sql", "SET SCHEMA PUBLIC");
        props.put("tributary.databases.x.pool.pre-release-sql", "SELECT 1");
        databases = Databases.fromProperties(props);

        assertThat(databases.get("x").poolMetrics().maxAllocated()).isEqualTo(7);
        StepVerifier.create(databases.get("x").query("SELECT 1 AS one", Integer.class))
                .expectNext(1)
                .expectComplete()
                .verify(Duration.ofSeconds(10));
    }

    @Test
    void unknownPoolOptionNamesTheKeyAndListsValidOptions() {
        Map<String, String> props = Map.of(
                "tributary.databases.x.url", H2 + "f",
                "tributary.databases.x.pool.max-sise", "3");
        assertThatThrownBy(() -> Databases.fromProperties(props))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.databases.x.pool.max-sise")
                .hasMessageContaining("max-size")
                .hasMessageContaining("max-idle-time");
    }

    @Test
    void unknownDatabaseSettingNamesTheKey() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.x.uri", "r2dbc:h2:mem:///x")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'tributary.databases.x.uri'")
                .hasMessageContaining("tributary.databases.<name>.url");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("TRIBUTARY_DATABASES_X_URI", "r2dbc:h2:mem:///x")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("TRIBUTARY_DATABASES_X_URI");
    }

    @Test
    void invalidValueNamesTheKeyAndTheValue() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of(
                        "tributary.databases.x.url", H2 + "g",
                        "tributary.databases.x.pool.max-size", "many")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("'many'")
                .hasMessageContaining("tributary.databases.x.pool.max-size");
        assertThatThrownBy(() -> Databases.fromProperties(Map.of(
                        "tributary.databases.x.url", H2 + "g",
                        "tributary.databases.x.pool.max-idle-time", "-5s")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.databases.x.pool.max-idle-time");
    }

    @Test
    void settingsAcrossFieldsAreChecked() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of(
                        "tributary.databases.x.url", H2 + "h",
                        "tributary.databases.x.pool.max-size", "2",
                        "tributary.databases.x.pool.initial-size", "5")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("database 'x'")
                .hasMessageContaining("initialSize (5) must not exceed maxSize (2)");
    }

    @Test
    void poolOptionsWithoutUrlAreRejected() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("tributary.databases.x.pool.max-size", "2")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("Database 'x'")
                .hasMessageContaining("tributary.databases.x.url");
    }

    @Test
    void conflictingUrlsForOneDatabaseAreRejected() {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("tributary.databases.x.url", H2 + "i");
        props.put("TRIBUTARY_DATABASES_X_URL", H2 + "j");
        assertThatThrownBy(() -> Databases.fromProperties(props))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("tributary.databases.x.url")
                .hasMessageContaining("TRIBUTARY_DATABASES_X_URL");
    }

    @Test
    void noDatabasesIsRejected() {
        assertThatThrownBy(() -> Databases.fromProperties(Map.of("other", "x")))
                .isInstanceOf(DatabaseConfigurationException.class)
                .hasMessageContaining("No database registered");
    }
}
