package dev.tributary.core;

import io.r2dbc.spi.ConnectionFactory;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import reactor.core.publisher.Mono;

/**
 * An immutable registry of named databases, each with its own R2DBC connection pool. Name a database once
 * ({@code customers}, {@code orders}) and every query, transaction and health check for that name goes to its
 * pool. Several schema names may point at one database through {@linkplain Builder#alias aliases}.
 *
 * <pre>{@code
 * Databases dbs = Databases.builder()
 *         .database("customers", "r2dbc:h2:mem:///customers?options=DB_CLOSE_DELAY=-1")
 *         .database("orders", "r2dbc:postgresql://app@db:5432/orders", PoolSettings.builder().maxSize(20).build())
 *         .alias("sales", "orders")
 *         .build();
 * Flux<Row> rows = dbs.get("orders").query("SELECT id, amount FROM orders WHERE customer_id = $1", 42);
 * }</pre>
 *
 * <p>Building does no I/O: pools open connections on first use or on {@link #warmup()}. Close the registry
 * with {@link #close()} to dispose of every pool.
 */
public final class Databases {

    private Databases() {
        throw new UnsupportedOperationException("implemented in the reactive-core issue");
    }

    /** A new, empty builder. */
    public static Builder builder() {
        throw new UnsupportedOperationException("implemented in the reactive-core issue");
    }

    /**
     * A registry from properties: {@code tributary.databases.<name>.url},
     * {@code tributary.databases.<name>.pool.<option>} (kebab-case names of {@link PoolSettings}),
     * {@code tributary.databases.<name>.aliases} (comma-separated) and {@code tributary.default-database}.
     * Environment-variable style keys ({@code TRIBUTARY_DATABASES_ORDERS_URL}) are read too.
     *
     * @throws DatabaseConfigurationException if a key or value is invalid; the message names the key
     */
    public static Databases fromProperties(Map<String, ?> properties) {
        throw new UnsupportedOperationException("implemented in the reactive-core issue");
    }

    /** As {@link #fromProperties(Map)}. */
    public static Databases fromProperties(Properties properties) {
        throw new UnsupportedOperationException("implemented in the reactive-core issue");
    }

    /**
     * The database registered under {@code name}, or under an alias {@code name}.
     *
     * @throws UnknownDatabaseException if there is none; the message lists the known names
     * @throws IllegalStateException if the registry is closed
     */
    public Database get(String name) {
        throw new UnsupportedOperationException();
    }

    /** The default database: the one named by {@code defaultDatabase}, or the only one registered. */
    public Database defaultDatabase() {
        throw new UnsupportedOperationException();
    }

    /** The registered database names, in registration order (aliases not included). */
    public List<String> names() {
        throw new UnsupportedOperationException();
    }

    /** The aliases, each mapped to the database name it stands for. */
    public Map<String, String> aliases() {
        throw new UnsupportedOperationException();
    }

    /** Opens every pool's initial connections; emits the number opened in all. */
    public Mono<Integer> warmup() {
        throw new UnsupportedOperationException();
    }

    /** Disposes of every pool. Idempotent; afterwards every call on the registry fails. */
    public Mono<Void> close() {
        throw new UnsupportedOperationException();
    }

    /** A validating builder of a registry. */
    public static final class Builder {

        private Builder() {
        }

        /** Registers a database by R2DBC URL with the default pool settings. */
        public Builder database(String name, String r2dbcUrl) {
            throw new UnsupportedOperationException();
        }

        /** Registers a database by R2DBC URL with the given pool settings. */
        public Builder database(String name, String r2dbcUrl, PoolSettings pool) {
            throw new UnsupportedOperationException();
        }

        /**
         * Registers a database on a connection factory. A factory that is already an r2dbc-pool
         * {@code ConnectionPool} is used as it is; any other is pooled with the default settings.
         */
        public Builder database(String name, ConnectionFactory connectionFactory) {
            throw new UnsupportedOperationException();
        }

        /** Registers another name for a database, as one pool serving several schema names. */
        public Builder alias(String schemaName, String databaseName) {
            throw new UnsupportedOperationException();
        }

        /** Names the database {@link Databases#defaultDatabase()} returns. */
        public Builder defaultDatabase(String name) {
            throw new UnsupportedOperationException();
        }

        /**
         * The registry.
         *
         * @throws DatabaseConfigurationException if no database is registered, a name is used twice, an
         *     alias or the default names a missing database, or a URL is malformed or has no driver
         */
        public Databases build() {
            throw new UnsupportedOperationException();
        }
    }
}
