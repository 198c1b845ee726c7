package dev.tributary.spring.boot;

import dev.tributary.core.DatabaseConfigurationException;
import dev.tributary.core.Databases;
import dev.tributary.core.MigrationSettings;
import dev.tributary.core.PoolSettings;
import dev.tributary.core.health.HealthSettings;
import dev.tributary.core.resilience.CircuitBreakerSettings;
import dev.tributary.core.resilience.ResilienceSettings;
import dev.tributary.core.resilience.RetrySettings;
import io.r2dbc.spi.ConnectionFactories;
import io.r2dbc.spi.ConnectionFactoryOptions;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Turns {@link TributaryProperties} into a {@link Databases.Builder}. Every value goes through the library's
 * validating builders; a value they refuse fails with a {@link DatabaseConfigurationException} whose message starts
 * with the property's key ({@code tributary.databases.orders.pool.max-size}) and keeps the builder's reason.
 */
final class DatabasesFactory {

    private DatabasesFactory() {
    }

    /**
     * Builds the registry; an error the library raises for one database ({@code Database 'orders': ...}, such as a
     * URL its driver rejects) is prefixed with that database's key.
     */
    static Databases build(Databases.Builder builder, TributaryProperties properties) {
        try {
            return builder.build();
        } catch (DatabaseConfigurationException e) {
            for (String name : properties.databases().keySet()) {
                if (String.valueOf(e.getMessage()).startsWith("Database '" + name + "'")) {
                    throw invalid("tributary.databases." + name, e.getMessage(), e);
                }
            }
            if (String.valueOf(e.getMessage()).startsWith("The transaction log database")) {
                throw invalid("tributary.transactions.log-database", e.getMessage(), e);
            }
            throw e;
        }
    }

    /** The builder the properties describe (transactions aside: see {@link TransactionsWiring}). */
    static Databases.Builder builder(TributaryProperties properties) {
        if (properties.databases().isEmpty()) {
            throw new DatabaseConfigurationException("No database configured: set tributary.databases.<name>.url"
                    + " (for example tributary.databases.orders.url=r2dbc:postgresql://app@db:5432/orders)");
        }
        Databases.Builder builder = Databases.builder();
        builder.resilience(resilience("tributary.resilience", properties.resilience(), ResilienceSettings.defaults()));
        builder.health(health(properties.health()));
        builder.migration(migration("tributary.migration", properties.migration(), MigrationSettings.defaults()));
        properties.databases().forEach((name, db) -> register(builder, name, db, properties));
        properties.databases().forEach((name, db) -> db.aliases().forEach(alias -> builder.alias(alias, name)));
        if (properties.defaultDatabase() != null) {
            builder.defaultDatabase(properties.defaultDatabase());
        }
        return builder;
    }

    private static void register(Databases.Builder builder, String name, DatabaseProperties db,
            TributaryProperties properties) {
        String key = "tributary.databases." + name;
        String url = url(key + ".url", db.url());
        PoolSettings pool = pool(key + ".pool", db.pool());
        ResilienceSettings resilience = db.resilience() == null ? null
                : resilience(key + ".resilience", db.resilience(), ResilienceSettings.defaults());
        if (db.replicas().isEmpty()) {
            if (resilience == null) {
                builder.database(name, url, pool);
            } else {
                builder.database(name, url, pool, resilience);
            }
        } else {
            Databases.Replicated replicated = builder.database(name).primary(url, pool);
            List<DatabaseProperties.Replica> replicas = db.replicas();
            for (int i = 0; i < replicas.size(); i++) {
                String replicaKey = key + ".replicas[" + i + "]";
                replicated.replica(url(replicaKey + ".url", replicas.get(i).url()),
                        pool(replicaKey + ".pool", replicas.get(i).pool()));
            }
            if (resilience != null) {
                replicated.resilience(resilience);
            }
        }
        if (db.migration() != null) {
            MigrationSettings shared = migration("tributary.migration", properties.migration(), MigrationSettings.defaults());
            builder.migration(name, migration(key + ".migration", db.migration(), shared));
        }
    }

    /** Checks that the URL is set, parses and has a driver on the classpath, naming the key if not. */
    private static String url(String key, @Nullable String url) {
        if (url == null || url.isBlank()) {
            throw invalid(key, "no R2DBC URL is set; set it, for example " + key
                    + "=r2dbc:postgresql://app@db:5432/orders", null);
        }
        ConnectionFactoryOptions options;
        try {
            options = ConnectionFactoryOptions.parse(url);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw invalid(key, "not an R2DBC URL (" + e.getMessage() + "); expected"
                    + " r2dbc:<driver>://[user[:password]@]host[:port]/database or r2dbc:h2:mem:///name", null);
        }
        if (!ConnectionFactories.supports(options)) {
            throw invalid(key, "no R2DBC driver on the classpath accepts driver '"
                    + options.getValue(ConnectionFactoryOptions.DRIVER) + "'; add the driver's jar (for example"
                    + " org.postgresql:r2dbc-postgresql, org.mariadb:r2dbc-mariadb, io.r2dbc:r2dbc-h2) or fix the URL", null);
        }
        return url;
    }

    private static PoolSettings pool(String key, DatabaseProperties.Pool p) {
        PoolSettings.Builder b = PoolSettings.builder();
        set(key + ".initial-size", p.initialSize(), b::initialSize);
        set(key + ".max-size", p.maxSize(), b::maxSize);
        set(key + ".min-idle", p.minIdle(), b::minIdle);
        set(key + ".max-idle-time", p.maxIdleTime(), b::maxIdleTime);
        set(key + ".max-life-time", p.maxLifeTime(), b::maxLifeTime);
        set(key + ".max-acquire-time", p.maxAcquireTime(), b::maxAcquireTime);
        set(key + ".max-create-connection-time", p.maxCreateConnectionTime(), b::maxCreateConnectionTime);
        set(key + ".max-validation-time", p.maxValidationTime(), b::maxValidationTime);
        set(key + ".validation-query", p.validationQuery(), b::validationQuery);
        set(key + ".acquire-retry", p.acquireRetry(), b::acquireRetry);
        set(key + ".post-allocate-sql", p.postAllocateSql(), b::postAllocateSql);
        set(key + ".pre-release-sql", p.preReleaseSql(), b::preReleaseSql);
        return build(key, b::build);
    }

    private static ResilienceSettings resilience(String key, ResilienceProperties r, ResilienceSettings base) {
        ResilienceSettings.Builder b = base.toBuilder();
        ResilienceProperties.CircuitBreaker cb = r.circuitBreaker();
        if (cb != null) {
            if (Boolean.FALSE.equals(cb.enabled())) {
                b.circuitBreaker(null);
            } else {
                String k = key + ".circuit-breaker";
                CircuitBreakerSettings.Builder c = CircuitBreakerSettings.builder();
                set(k + ".consecutive-failures", cb.consecutiveFailures(), c::consecutiveFailures);
                set(k + ".sliding-window-size", cb.slidingWindowSize(), c::slidingWindowSize);
                set(k + ".minimum-calls", cb.minimumCalls(), c::minimumCalls);
                set(k + ".failure-rate-threshold", cb.failureRateThreshold(), c::failureRateThreshold);
                set(k + ".wait-in-open", cb.waitInOpen(), c::waitInOpen);
                set(k + ".half-open-trial-calls", cb.halfOpenTrialCalls(), c::halfOpenTrialCalls);
                b.circuitBreaker(build(k, c::build));
            }
        }
        ResilienceProperties.Retry rp = r.retry();
        if (rp != null) {
            String k = key + ".retry";
            RetrySettings.Builder rb = RetrySettings.builder();
            set(k + ".max-retries", rp.maxRetries(), rb::maxRetries);
            set(k + ".min-backoff", rp.minBackoff(), rb::minBackoff);
            set(k + ".max-backoff", rp.maxBackoff(), rb::maxBackoff);
            set(k + ".jitter", rp.jitter(), rb::jitter);
            set(k + ".retry-writes", rp.retryWrites(), rb::retryWrites);
            b.retry(build(k, rb::build));
        }
        set(key + ".statement-timeout", r.statementTimeout(), t -> b.statementTimeout(noneIfZero(t)));
        set(key + ".query-timeout", r.queryTimeout(), t -> b.queryTimeout(noneIfZero(t)));
        return build(key, b::build);
    }

    private static HealthSettings health(HealthProperties h) {
        String key = "tributary.health";
        HealthSettings.Builder b = HealthSettings.builder();
        set(key + ".validation-query", h.validationQuery(), b::validationQuery);
        set(key + ".validation-timeout", h.validationTimeout(), b::validationTimeout);
        set(key + ".degraded-utilization", h.degradedUtilization(), b::degradedUtilization);
        set(key + ".degraded-pending", h.degradedPending(), b::degradedPending);
        return build(key, b::build);
    }

    private static MigrationSettings migration(String key, MigrationProperties m, MigrationSettings base) {
        MigrationSettings.Builder b = MigrationSettings.builder()
                .jdbcUrl(base.jdbcUrl()).user(base.user()).password(base.password()).table(base.table())
                .baselineOnMigrate(base.baselineOnMigrate()).enabled(base.enabled());
        if (!key.equals("tributary.migration")) {
            set(key + ".enabled", m.enabled(), b::enabled); // tributary.migration.enabled: at startup, see TributaryMigrations
        }
        set(key + ".locations", m.locations(), b::locations);
        set(key + ".jdbc-url", m.jdbcUrl(), b::jdbcUrl);
        set(key + ".user", m.user(), b::user);
        set(key + ".password", m.password(), b::password);
        set(key + ".table", m.table(), b::table);
        set(key + ".baseline-on-migrate", m.baselineOnMigrate(), b::baselineOnMigrate);
        return b.build();
    }

    private static @Nullable Duration noneIfZero(Duration d) {
        return d.isZero() ? null : d;
    }

    /** Applies {@code value} when it is set, naming {@code key} if the setter refuses it. */
    static <T> void set(String key, @Nullable T value, Consumer<T> setter) {
        if (value == null) {
            return;
        }
        try {
            setter.accept(value);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(key, "'" + value + "' is refused: " + e.getMessage(), e);
        }
    }

    private static <T> T build(String key, Supplier<T> build) {
        try {
            return build.get();
        } catch (IllegalArgumentException e) {
            throw invalid(key, e.getMessage(), e);
        }
    }

    private static DatabaseConfigurationException invalid(String key, String reason, @Nullable Throwable cause) {
        return new DatabaseConfigurationException("Invalid " + key + ": " + reason, cause);
    }
}
