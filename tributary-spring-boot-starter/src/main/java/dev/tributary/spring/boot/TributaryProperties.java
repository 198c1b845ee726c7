package dev.tributary.spring.boot;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.NestedConfigurationProperty;
import org.springframework.util.unit.DataSize;

/**
 * Every option of Tributary under tributary.*: the databases, the settings they share, federation and
 * transactions. Values left unset keep the library's defaults (named in each description).
 *
 * <pre>
 * tributary:
 *   default-database: orders
 *   databases:
 *     customers:
 *       url: r2dbc:h2:mem:///customers?options=DB_CLOSE_DELAY=-1
 *     orders:
 *       url: r2dbc:postgresql://app@db:5432/orders
 *       aliases: [sales]
 *       pool: { max-size: 20, max-acquire-time: 5s }
 *       resilience: { statement-timeout: 10s, circuit-breaker: { consecutive-failures: 3 } }
 *       replicas:
 *         - url: r2dbc:postgresql://app@replica1:5432/orders
 *   federation: { memory-budget: 512MB }
 * </pre>
 *
 * @param databases the databases by name: tributary.databases.NAME.url and the rest of
 *     {@link DatabaseProperties}; environment variables work too (TRIBUTARY_DATABASES_ORDERS_URL)
 * @param defaultDatabase the database (or alias) Databases.defaultDatabase() returns; may be left out when
 *     there is one database
 * @param resilience the circuit breaker, retries and timeouts of every database without settings of its own
 * @param health how every database's health is judged (validation query and timeout, DEGRADED thresholds)
 * @param migration the Flyway settings of every database without its own, and whether to migrate at startup
 * @param federation the options of the Federation bean (needs dev.tributary:reactive-federation)
 * @param transactions transactions across databases: where the decision log lives and this node's id; off unless
 *     tributary.transactions.log-database is set
 */
@ConfigurationProperties("tributary")
public record TributaryProperties(@Nullable Map<String, DatabaseProperties> databases, @Nullable String defaultDatabase,
        @NestedConfigurationProperty @Nullable ResilienceProperties resilience,
        @NestedConfigurationProperty @Nullable HealthProperties health,
        @NestedConfigurationProperty @Nullable MigrationProperties migration, @Nullable Federation federation,
        @Nullable Transactions transactions) {

    public TributaryProperties {
        databases = databases == null ? Map.of() : new LinkedHashMap<>(databases);
        resilience = resilience == null ? ResilienceProperties.EMPTY : resilience;
        health = health == null ? new HealthProperties(null, null, null, null) : health;
        migration = migration == null ? MigrationProperties.EMPTY : migration;
        federation = federation == null ? new Federation(null, null, null, null, null) : federation;
        transactions = transactions == null ? new Transactions(null, null, null, null, null) : transactions;
    }

    /**
     * Options of the federated query engine (FederationOptions).
     *
     * @param memoryBudget the most memory one query's hash joins, aggregates and sorts may hold, such as
     *     256MB (the default); a query that needs more fails with MemoryBudgetExceededException
     * @param dynamicFilterMaxKeys the most join keys pushed into the other side's fragment as a dynamic filter
     *     (default 10000; 0 turns dynamic filters off)
     * @param probePrefetch how many rows of a join's probe side are requested ahead (default 256)
     * @param inListBatchSize the most keys in one IN (...) list of a dynamic filter (default 1000)
     * @param catalogMaxAge how long the catalog read from the databases is kept before it is read again (default:
     *     kept until refreshCatalog())
     */
    public record Federation(@Nullable DataSize memoryBudget, @Nullable Integer dynamicFilterMaxKeys,
            @Nullable Integer probePrefetch, @Nullable Integer inListBatchSize, @Nullable Duration catalogMaxAge) {
    }

    /**
     * Transactions across databases (two-phase commit).
     *
     * @param logDatabase the database (name or alias) that holds the decision log table; every instance of the
     *     application must name the same one
     * @param nodeId this instance's id, carried by its global transaction ids (default: derived from the host);
     *     unique per running instance
     * @param recoverOnStart whether to resolve in-doubt transactions this node left behind when the application
     *     starts (default true)
     * @param leaseDuration how long this instance counts as alive after its last heartbeat, renewed every third of it
     *     (default 30s, at least 100ms)
     * @param tablePrefix the prefix of the decision log's tables: PREFIX_log, PREFIX_node, PREFIX_compensation
     *     (default tributary_tx)
     */
    public record Transactions(@Nullable String logDatabase, @Nullable String nodeId, @Nullable Boolean recoverOnStart,
            @Nullable Duration leaseDuration, @Nullable String tablePrefix) {
    }
}
