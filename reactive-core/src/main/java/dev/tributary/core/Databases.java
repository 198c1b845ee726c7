package dev.tributary.core;

import dev.tributary.core.health.HealthCheck;
import dev.tributary.core.health.HealthReport;
import dev.tributary.core.health.HealthSettings;
import dev.tributary.core.resilience.ResilienceSettings;
import io.r2dbc.spi.ConnectionFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;
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
 * with {@link #close()} to dispose of every pool. Names are case-sensitive.
 *
 * <p>Each database is guarded on its own by a circuit breaker, retries before the first row and a statement
 * timeout ({@link ResilienceSettings#defaults()}; per database with
 * {@link Builder#database(String, String, PoolSettings, ResilienceSettings)}, for all with
 * {@link Builder#resilience(ResilienceSettings)}). {@link #health()} and {@link #monitor(Duration)} report on
 * every database; {@link Builder#database(String)} registers a primary with replicas.
 */
public final class Databases {

    private final Map<String, ManagedDatabase> databases;
    private final Map<String, String> aliases;
    private final @Nullable String defaultName;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Mono<Void> disposal;
    private final @Nullable TransactionManager transactions;
    private final Map<String, Migration> migrations;
    private final Instrumentation instrumentation;

    private Databases(Map<String, ManagedDatabase> databases, Map<String, String> aliases, @Nullable String defaultName,
            @Nullable TransactionSettings transactionSettings, TransactionHooks hooks,
            java.util.function.@Nullable LongSupplier clock, Map<String, Migration> migrations,
            Instrumentation instrumentation) {
        this.instrumentation = instrumentation;
        this.databases = databases;
        this.aliases = aliases;
        this.defaultName = defaultName;
        this.migrations = migrations;
        this.transactions = transactionSettings == null ? null
                : new TransactionManager(this, transactionSettings, reportingPrepares(hooks, instrumentation.listeners),
                        clock);
        TransactionManager tm = transactions;
        this.disposal = (tm == null ? Mono.<Void>empty() : tm.close())
                .then(Flux.fromIterable(databases.values())
                        .flatMap(ManagedDatabase::close)
                        .then())
                .cache();
    }

    /** {@code hooks}, telling the listeners about each prepare first. */
    private static TransactionHooks reportingPrepares(TransactionHooks hooks, Listeners listeners) {
        if (listeners.isEmpty()) {
            return hooks;
        }
        return (step, transactionId, database) -> step != TransactionHooks.Step.PREPARE ? hooks.at(step, transactionId, database)
                : Mono.fromRunnable(() -> listeners.transactionPrepare(new TransactionEvent(transactionId, database)))
                        .then(hooks.at(step, transactionId, database));
    }

    /** What the registry reports to its listeners and observations. */
    Instrumentation instrumentation() {
        return instrumentation;
    }

    /**
     * {@code call} reported to this registry's {@link Builder#listener listeners} (started, then finished with the
     * items it emitted as rows, or failed) and observed in its {@link Builder#observations observations} as one call
     * of {@code kind} on {@code database}; the calls {@code call} makes to the registry's databases are observed as its
     * children. For libraries over the registry: the federation reports each federated
     * query with it ({@code database} {@code federation}). Without listeners or observations it is {@code call}
     * as it is.
     *
     * @return what {@code call} emits, and its completion or error
     */
    public <T> Flux<T> instrument(String database, QueryKind kind, String sql, org.reactivestreams.Publisher<T> call) {
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(sql, "sql");
        Objects.requireNonNull(call, "call");
        return instrumentation.call(database, kind, sql, Flux.from(call), item -> 1);
    }

    /** A new, empty builder. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * A registry from properties: {@code tributary.databases.<name>.url},
     * {@code tributary.databases.<name>.pool.<option>} (kebab-case names of {@link PoolSettings}, such as
     * {@code max-size} or {@code max-idle-time}; durations as {@code 30s}, {@code 5m}, {@code 250ms},
     * {@code PT30S} or plain milliseconds), {@code tributary.databases.<name>.aliases} (comma-separated),
     * {@code tributary.databases.<name>.replicas[<i>].url} and {@code .replicas[<i>].pool.<option>} (or
     * {@code replicas.<i>.}; a database with replicas is registered as with {@link Builder#database(String)}) and
     * {@code tributary.default-database}. Environment-variable style keys are read too:
     * {@code TRIBUTARY_DATABASES_ORDERS_URL}, {@code TRIBUTARY_DATABASES_ORDERS_POOL_MAX_SIZE},
     * {@code TRIBUTARY_DEFAULT_DATABASE} (database names are then lower-cased). Only keys under
     * {@code tributary.databases.}, {@code TRIBUTARY_DATABASES_} and the default-database keys are read; any
     * other key is ignored, so {@code System.getenv()} or an application's whole configuration may be passed.
     *
     * @throws DatabaseConfigurationException if a key or value is invalid; the message names the key and,
     *     for an unknown option, lists the valid ones
     */
    public static Databases fromProperties(Map<String, ?> properties) {
        Objects.requireNonNull(properties, "properties");
        return DatabasesProperties.read(properties).build();
    }

    /** As {@link #fromProperties(Map)}. */
    public static Databases fromProperties(Properties properties) {
        Objects.requireNonNull(properties, "properties");
        Map<String, Object> map = new LinkedHashMap<>();
        for (String key : new java.util.TreeSet<>(properties.stringPropertyNames())) {
            map.put(key, properties.getProperty(key));
        }
        return fromProperties(map);
    }

    /**
     * The database registered under {@code name}, or under an alias {@code name}.
     *
     * @throws UnknownDatabaseException if there is none; the message lists the known names
     * @throws RegistryClosedException if the registry is closed
     */
    public Database get(String name) {
        Objects.requireNonNull(name, "name");
        checkOpen();
        ManagedDatabase db = databases.get(aliases.getOrDefault(name, name));
        if (db == null) {
            List<String> known = new ArrayList<>(new TreeSet<>(databases.keySet()));
            known.addAll(new TreeSet<>(aliases.keySet()));
            throw new UnknownDatabaseException(name, known);
        }
        return db;
    }

    /**
     * The default database: the one named by {@code defaultDatabase}, or the only one registered.
     *
     * @throws DatabaseConfigurationException if several databases are registered and none is the default
     * @throws RegistryClosedException if the registry is closed
     */
    public Database defaultDatabase() {
        checkOpen();
        if (defaultName != null) {
            return get(defaultName);
        }
        if (databases.size() == 1) {
            return databases.values().iterator().next();
        }
        throw new DatabaseConfigurationException("No default database: " + databases.size() + " databases are"
                + " registered " + databases.keySet() + "; name one with Databases.Builder.defaultDatabase(name)"
                + " or the property tributary.default-database");
    }

    /** The registered database names, in registration order (aliases not included). */
    public List<String> names() {
        checkOpen();
        return List.copyOf(databases.keySet());
    }

    /** The aliases, each mapped to the database name it stands for. */
    public Map<String, String> aliases() {
        checkOpen();
        return aliases;
    }

    /**
     * Opens every pool's initial connections ({@link PoolSettings#initialSize()}).
     *
     * @return the number of connections opened in all; signals the first driver error if a database cannot
     *     be reached, or {@link RegistryClosedException} if the registry is closed
     */
    public Mono<Integer> warmup() {
        return Mono.defer(() -> {
            checkOpen();
            return Flux.fromIterable(databases.values())
                    .flatMap(Database::warmup)
                    .reduce(0, Integer::sum);
        });
    }

    /**
     * Disposes of every pool: calls fail from the moment of subscription, connections in use get up to 2 s to be
     * returned, then the pools are disposed: idle connections are closed, one still in use when it is returned.
     * Idempotent: every subscription completes once the pools are disposed. Once subscribed, every call on the registry and on its
     * databases fails with {@link RegistryClosedException}.
     */
    public Mono<Void> close() {
        return Mono.defer(() -> {
            closed.set(true);
            return disposal;
        });
    }

    /**
     * Checks every database at once ({@link Database#health()}): a slow database delays the result by at most its
     * validation timeout.
     *
     * @return one report per database, in registration order; {@link HealthReport#worst} gives the overall status
     */
    public Mono<List<HealthReport>> health() {
        return Mono.defer(() -> {
            checkOpen();
            return HealthCheck.all(checks());
        });
    }

    /**
     * Every {@code period} (first after one period), one report per database, in registration order; a round
     * starts only when the previous one ended. Runs until cancelled; signals {@link RegistryClosedException}
     * once the registry is closed.
     *
     * @throws IllegalArgumentException if {@code period} is not positive
     */
    public Flux<HealthReport> monitor(Duration period) {
        return HealthCheck.monitor(checks(), period, null);
    }

    private List<Mono<HealthReport>> checks() {
        List<Mono<HealthReport>> checks = new ArrayList<>();
        for (ManagedDatabase db : databases.values()) {
            checks.add(Mono.defer(() -> {
                checkOpen();
                return db.health();
            }));
        }
        return checks;
    }

    /**
     * Runs {@code work} as one transaction across databases, in two-phase commit ({@link TransactionOptions#defaults()}).
     * {@code work} gets a {@link GlobalSession}: {@code session.on("orders")} is the {@link Session} of that database in
     * this transaction, opened (connection and local transaction) on first use; work on several databases may run
     * concurrently.
     *
     * <p>When the publisher {@code work} returns completes: a database that only read commits in one phase; if one
     * database wrote it commits in one phase; if several wrote, each prepares, the COMMIT decision is written to the
     * decision log, then each commits. The returned {@code Flux} completes once every database committed. When
     * {@code work} signals an error, or the subscriber cancels, before the decision, every database rolls back and
     * every connection goes back to its pool. After the decision nothing rolls back. See {@code TRANSACTIONS.md}.
     *
     * @return what {@code work} emits; then completion, or an error: the work's own; the database's commit error (one
     *     writer); {@link TwoPhaseCommitUnavailableException} at a database that cannot prepare (before anything is
     *     written); {@link TransactionTimeoutException}; {@link TransactionOutcomeException} when the outcome is
     *     committed but not yet confirmed everywhere, or in doubt; {@link DatabaseConfigurationException} if the
     *     registry has no {@link Builder#transactions transaction settings}
     */
    public <T> Flux<T> inTransaction(java.util.function.Function<GlobalSession, ? extends org.reactivestreams.Publisher<T>> work) {
        return inTransaction(TransactionOptions.defaults(), work);
    }

    /**
     * As {@link #inTransaction(java.util.function.Function)}, with the given mode, isolation and timeout. In
     * {@link TransactionOptions.Mode#BEST_EFFORT} mode the databases commit one after another without prepare; when a
     * commit fails, the steps already committed are compensated ({@link Session#compensateWith}) and the
     * {@code Flux} signals a {@link TransactionOutcomeException} saying what was compensated.
     */
    public <T> Flux<T> inTransaction(TransactionOptions options,
            java.util.function.Function<GlobalSession, ? extends org.reactivestreams.Publisher<T>> work) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(work, "work");
        return Flux.defer(() -> {
            checkOpen();
            return transactions().inTransaction(options, work);
        });
    }

    /**
     * Resolves the transactions left in doubt: prepared branches with Tributary's prefix in every registered
     * database that can prepare are committed when the decision log holds their COMMIT, rolled back otherwise
     * (presumed abort) unless another live instance owns them; pending saga compensations run. Idempotent; safe to
     * run on several instances at once. Also runs in the background when the registry is built (see
     * {@link TransactionSettings#recoverOnStart()}).
     *
     * @return what it found and did; a database that could not be reached is in
     *     {@link RecoveryReport#unreachable()} (run recovery again later), it does not fail the {@code Mono}.
     *     Signals {@link DatabaseConfigurationException} if the registry has no transaction settings
     */
    public Mono<RecoveryReport> recover() {
        return Mono.defer(() -> {
            checkOpen();
            return transactions().recover();
        });
    }

    /** The transaction manager, or null without transaction settings (for tests). */
    @Nullable TransactionManager transactionManager() {
        return transactions;
    }

    private TransactionManager transactions() {
        if (transactions == null) {
            throw new DatabaseConfigurationException("This registry has no transaction settings: call"
                    + " Databases.Builder.transactions(TransactionSettings.builder().logDatabase(name).nodeId(id).build())"
                    + " or set tributary.transactions.log-database and tributary.transactions.node-id");
        }
        return transactions;
    }

    /**
     * Applies each database's pending Flyway migrations, one database after the other in registration order:
     * by default the scripts under {@code classpath:db/migration/<database>} ({@code V1__orders.sql}, ...), over
     * a JDBC URL derived from the database's R2DBC URL ({@link MigrationSettings}; per database with
     * {@link Builder#migration(String, MigrationSettings)}). A database without migration scripts is not contacted.
     * Flyway uses JDBC: it runs on {@code Schedulers.boundedElastic()}, never on the caller's thread. Needs
     * {@code org.flywaydb:flyway-core}, the Flyway module of the database ({@code flyway-database-postgresql},
     * {@code flyway-mysql}) and its JDBC driver on the classpath.
     *
     * @return the report, once every database is migrated; signals {@link MigrationFailedException} for the first
     *     database that fails (the databases before it stay migrated, the ones after it are not touched),
     *     {@link DatabaseConfigurationException} if Flyway is missing or a JDBC URL cannot be derived, or
     *     {@link RegistryClosedException} if the registry is closed
     */
    public Mono<MigrationReport> migrate() {
        return Mono.defer(() -> {
            checkOpen();
            boolean any = migrations.values().stream().anyMatch(m -> m.settings.enabled());
            if (any && !FlywayMigration.AVAILABLE) {
                return Mono.error(new DatabaseConfigurationException("Databases.migrate() needs Flyway: add"
                        + " org.flywaydb:flyway-core, the Flyway module of each database (flyway-database-postgresql,"
                        + " flyway-mysql) and its JDBC driver to the classpath"));
            }
            return Flux.fromIterable(migrations.entrySet())
                    .concatMap(e -> {
                        Migration m = e.getValue();
                        if (!m.settings.enabled()) {
                            return Mono.just(new MigrationReport.Entry(e.getKey(), MigrationReport.Outcome.DISABLED, 0,
                                    null, m.settings.locations(e.getKey())));
                        }
                        return FlywayMigration.migrate(e.getKey(), JdbcTarget.of(e.getKey(), m.r2dbcUrl, m.settings),
                                m.settings);
                    })
                    .collectList()
                    .map(MigrationReport::new);
        });
    }

    /**
     * Creates and drops the tables of the database named {@code name} (or an alias) from SQL scripts, for tests and
     * samples: {@code schema("orders").create()} runs {@code db/schema/orders.sql}; see {@link Schema}.
     *
     * @throws UnknownDatabaseException if there is no such database
     * @throws RegistryClosedException if the registry is closed
     */
    public Schema schema(String name) {
        return new Schema(get(name));
    }

    /** Whether {@link #close()} was subscribed to. */
    public boolean isClosed() {
        return closed.get();
    }

    private void checkOpen() {
        if (closed.get()) {
            throw new RegistryClosedException("This Databases registry " + databases.keySet()
                    + " is closed; build a new one to use the databases again");
        }
    }

    @Override
    public String toString() {
        return "Databases" + databases.values() + (aliases.isEmpty() ? "" : " aliases " + aliases)
                + (closed.get() ? " (closed)" : "");
    }

    /**
     * A validating builder of a registry. Setters check their arguments at once; {@link #build()} checks
     * the rules across them and only then creates the pools (without opening any connection).
     */
    public static final class Builder {

        private final Map<String, Definition> definitions = new LinkedHashMap<>();
        private final Map<String, String> aliases = new LinkedHashMap<>();
        private final Set<String> duplicates = new LinkedHashSet<>();
        private @Nullable String defaultName;
        private ResilienceSettings resilience = ResilienceSettings.defaults();
        private HealthSettings health = HealthSettings.defaults();
        private final List<Replicated> replicated = new ArrayList<>();
        private @Nullable TransactionSettings transactionSettings;
        private TransactionHooks transactionHooks = TransactionHooks.NONE;
        private java.util.function.@Nullable LongSupplier transactionClock;
        private MigrationSettings migration = MigrationSettings.defaults();
        private final Map<String, MigrationSettings> migrations = new LinkedHashMap<>();
        private final List<TributaryListener> listeners = new ArrayList<>();
        private @Nullable Tracing tracing;

        private Builder() {
        }

        /**
         * Adds a listener of connections, calls, breaker transitions and transactions (see {@link TributaryListener}
         * for the threads it is called on and what happens when it throws). Listeners are called in the order added.
         */
        public Builder listener(TributaryListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Observes every call through Micrometer Observation: {@code observations(TributaryObservations.of(registry))}
         * (see {@link TributaryObservations} for the observations, their key values and parents).
         */
        public Builder observations(TributaryObservations observations) {
            this.tracing = Objects.requireNonNull(observations, "observations").tracing();
            return this;
        }

        /**
         * Enables transactions across databases ({@link Databases#inTransaction}): where the decision log lives and
         * this instance's node id. {@link #build()} checks that the log database is registered and can hold the log,
         * and starts the node's heartbeat and (unless turned off) recovery in the background.
         */
        public Builder transactions(TransactionSettings settings) {
            this.transactionSettings = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** Fault injection points of the commit protocol, for tests. */
        Builder transactionHooks(TransactionHooks hooks) {
            this.transactionHooks = Objects.requireNonNull(hooks, "hooks");
            return this;
        }

        /** The clock of leases and timeouts (milliseconds), for tests; default the parallel scheduler's. */
        Builder transactionClock(java.util.function.LongSupplier clock) {
            this.transactionClock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How {@link Databases#migrate()} migrates every database without settings of its own (default: {@link MigrationSettings#defaults()}). */
        public Builder migration(MigrationSettings settings) {
            this.migration = Objects.requireNonNull(settings, "settings");
            return this;
        }

        /** How {@link Databases#migrate()} migrates the database {@code database}: locations, JDBC URL, history table. */
        public Builder migration(String database, MigrationSettings settings) {
            checkName(database, "database name");
            migrations.put(database, Objects.requireNonNull(settings, "settings"));
            return this;
        }

        /** Registers a database by R2DBC URL with the default pool settings. */
        public Builder database(String name, String r2dbcUrl) {
            return database(name, r2dbcUrl, PoolSettings.defaults());
        }

        /** Registers a database by R2DBC URL with the given pool settings. */
        public Builder database(String name, String r2dbcUrl, PoolSettings pool) {
            return url(name, r2dbcUrl, pool, null);
        }

        /**
         * Registers a database by R2DBC URL with the given pool settings and resilience settings (circuit breaker,
         * retries, timeouts) instead of {@link ResilienceSettings#defaults()}.
         */
        public Builder database(String name, String r2dbcUrl, PoolSettings pool, ResilienceSettings resilience) {
            return url(name, r2dbcUrl, pool, Objects.requireNonNull(resilience, "resilience"));
        }

        private Builder url(String name, String r2dbcUrl, PoolSettings pool, @Nullable ResilienceSettings resilience) {
            Objects.requireNonNull(r2dbcUrl, "r2dbcUrl");
            Objects.requireNonNull(pool, "pool");
            if (r2dbcUrl.isBlank()) {
                throw new DatabaseConfigurationException("Database '" + name + "': the R2DBC URL is blank");
            }
            return add(name, new Definition(r2dbcUrl, null, pool, resilience, List.of()));
        }

        /**
         * Registers a database on a connection factory. A factory that is already an r2dbc-pool
         * {@code ConnectionPool} is used as it is; any other is pooled with the default settings.
         */
        public Builder database(String name, ConnectionFactory connectionFactory) {
            return database(name, connectionFactory, PoolSettings.defaults());
        }

        /**
         * Registers a database on a connection factory, pooled with the given settings (ignored when the
         * factory is already an r2dbc-pool {@code ConnectionPool}).
         */
        public Builder database(String name, ConnectionFactory connectionFactory, PoolSettings pool) {
            Objects.requireNonNull(connectionFactory, "connectionFactory");
            Objects.requireNonNull(pool, "pool");
            return add(name, new Definition(null, connectionFactory, pool, null, List.of()));
        }

        /** As {@link #database(String, ConnectionFactory, PoolSettings)}, with the given resilience settings. */
        public Builder database(String name, ConnectionFactory connectionFactory, PoolSettings pool,
                ResilienceSettings resilience) {
            Objects.requireNonNull(connectionFactory, "connectionFactory");
            Objects.requireNonNull(pool, "pool");
            Objects.requireNonNull(resilience, "resilience");
            return add(name, new Definition(null, connectionFactory, pool, resilience, List.of()));
        }

        /**
         * The resilience settings of every database registered without its own (default
         * {@link ResilienceSettings#defaults()}); {@link ResilienceSettings#none()} turns the guards off.
         */
        public Builder resilience(ResilienceSettings resilience) {
            this.resilience = Objects.requireNonNull(resilience, "resilience");
            return this;
        }

        /** How every database's {@link Database#health()} is judged (default {@link HealthSettings#defaults()}). */
        public Builder health(HealthSettings health) {
            this.health = Objects.requireNonNull(health, "health");
            return this;
        }

        /**
         * Starts registering a logical database with one primary and replicas, each its own pool:
         * {@code database("orders").primary(url).replica(url).replica(url).and()}. Reads ({@code query} outside a
         * transaction) go to the replicas in turn, skipping those whose circuit breaker is open, and fall back to
         * the primary when every replica's breaker is open; writes and transactions go to the primary. Each
         * replica's pool and breaker is named {@code <name>-replica-<n>}, counting from 1.
         */
        public Replicated database(String name) {
            Replicated r = new Replicated(this, name);
            add(name, r.definition());
            replicated.add(r);
            return r;
        }

        private Builder add(String name, Definition definition) {
            checkName(name, "database name");
            if (definitions.putIfAbsent(name, definition) != null) {
                duplicates.add(name);
            }
            return this;
        }

        /** Registers another name for a database, as one pool serving several schema names. */
        public Builder alias(String schemaName, String databaseName) {
            checkName(schemaName, "alias");
            checkName(databaseName, "database name");
            if (aliases.containsKey(schemaName)) {
                duplicates.add(schemaName);
            }
            aliases.put(schemaName, databaseName);
            return this;
        }

        /** Names the database {@link Databases#defaultDatabase()} returns (a database name or an alias). */
        public Builder defaultDatabase(String name) {
            checkName(name, "default database");
            this.defaultName = name;
            return this;
        }

        /**
         * The registry.
         *
         * @throws DatabaseConfigurationException if no database is registered, a name is used twice, an
         *     alias or the default names a missing database, a URL is malformed or has no driver, or a
         *     replicated database has no primary or replicas of another kind than its primary
         */
        public Databases build() {
            for (Replicated r : replicated) {
                if (r.primaryUrl == null) {
                    throw new DatabaseConfigurationException("Database '" + r.name + "' has no primary: call"
                            + " database(\"" + r.name + "\").primary(r2dbcUrl)");
                }
                definitions.put(r.name, r.definition());
            }
            if (definitions.isEmpty()) {
                throw new DatabaseConfigurationException("No database registered: add at least one with"
                        + " Databases.builder().database(name, r2dbcUrl)");
            }
            if (!duplicates.isEmpty()) {
                throw new DatabaseConfigurationException("Registered twice: " + duplicates + ". Each database name and"
                        + " alias must be unique; use alias(schema, database) to give one pool another name");
            }
            for (Map.Entry<String, String> alias : aliases.entrySet()) {
                if (definitions.containsKey(alias.getKey())) {
                    throw new DatabaseConfigurationException("Alias '" + alias.getKey() + "' is also a database name");
                }
                if (!definitions.containsKey(alias.getValue())) {
                    throw new DatabaseConfigurationException("Alias '" + alias.getKey() + "' points at database '"
                            + alias.getValue() + "', which is not registered. Registered: " + definitions.keySet());
                }
            }
            for (String name : migrations.keySet()) {
                if (!definitions.containsKey(name)) {
                    throw new DatabaseConfigurationException("Migration settings name database '" + name
                            + "', which is not registered. Registered: " + definitions.keySet());
                }
            }
            if (defaultName != null && !definitions.containsKey(defaultName) && !aliases.containsKey(defaultName)) {
                throw new DatabaseConfigurationException("Default database '" + defaultName
                        + "' is not registered. Registered: " + definitions.keySet() + ", aliases: " + aliases.keySet());
            }
            if (transactionSettings != null) {
                String log = aliases.getOrDefault(transactionSettings.logDatabase(), transactionSettings.logDatabase());
                if (!definitions.containsKey(log)) {
                    throw new DatabaseConfigurationException("The transaction log database '"
                            + transactionSettings.logDatabase() + "' is not registered. Registered: "
                            + definitions.keySet() + ", aliases: " + aliases.keySet());
                }
            }
            Map<String, ConnectionFactory> factories = new LinkedHashMap<>();
            Map<String, List<ConnectionFactory>> replicaFactories = new LinkedHashMap<>();
            definitions.forEach((name, d) -> {
                factories.put(name, d.factory != null ? d.factory
                        : ConnectionFactoryResolver.resolve(name, Objects.requireNonNull(d.url)));
                List<ConnectionFactory> replicas = new ArrayList<>();
                Dialect kind = Dialect.fromDriverName(factories.get(name).getMetadata().getName());
                for (int i = 0; i < d.replicas.size(); i++) {
                    ConnectionFactory replica = ConnectionFactoryResolver.resolve(replicaName(name, i), d.replicas.get(i).url());
                    Dialect replicaKind = Dialect.fromDriverName(replica.getMetadata().getName());
                    if (replicaKind != kind) {
                        throw new DatabaseConfigurationException("Database '" + name + "': replica '" + replicaName(name, i)
                                + "' is " + replicaKind + " but the primary is " + kind + "; replicas must be the same kind");
                    }
                    replicas.add(replica);
                }
                replicaFactories.put(name, replicas);
            });
            Map<String, ManagedDatabase> databases = new LinkedHashMap<>();
            Instrumentation instrumentation = listeners.isEmpty() && tracing == null ? Instrumentation.NONE
                    : new Instrumentation(new Listeners(listeners), tracing);
            factories.forEach((name, factory) -> {
                Definition d = definitions.get(name);
                PooledDatabase primary = create(name, factory, d.pool, d.resilience, instrumentation);
                if (d.replicas.isEmpty()) {
                    databases.put(name, primary);
                    return;
                }
                List<PooledDatabase> replicas = new ArrayList<>();
                for (int i = 0; i < d.replicas.size(); i++) {
                    replicas.add(create(replicaName(name, i), replicaFactories.get(name).get(i), d.replicas.get(i).pool(),
                            d.resilience, instrumentation));
                }
                databases.put(name, new RoutedDatabase(name, primary, replicas));
            });
            if (transactionSettings != null) {
                String log = aliases.getOrDefault(transactionSettings.logDatabase(), transactionSettings.logDatabase());
                Dialect kind = databases.get(log).dialect();
                if (!BranchSql.supportsPrepare(kind)) {
                    throw new DatabaseConfigurationException("The transaction log database '" + log + "' is " + kind
                            + "; the decision log needs PostgreSQL, MariaDB or H2");
                }
            }
            Map<String, Migration> migrationsByName = new LinkedHashMap<>();
            definitions.forEach((name, d) -> migrationsByName.put(name,
                    new Migration(d.url, migrations.getOrDefault(name, migration))));
            Databases registry = new Databases(Collections.unmodifiableMap(databases),
                    Collections.unmodifiableMap(new LinkedHashMap<>(aliases)), defaultName, transactionSettings,
                    transactionHooks, transactionClock, Collections.unmodifiableMap(migrationsByName), instrumentation);
            if (registry.transactions != null) {
                registry.transactions.start();
            }
            return registry;
        }

        private PooledDatabase create(String name, ConnectionFactory factory, PoolSettings pool,
                @Nullable ResilienceSettings own, Instrumentation instrumentation) {
            return PooledDatabase.create(name, factory, pool, PooledDatabase.CancelPolicy.DRAIN_THEN_INVALIDATE,
                    own != null ? own : resilience, health, instrumentation);
        }

        private static String replicaName(String name, int index) {
            return name + "-replica-" + (index + 1);
        }

        private static void checkName(String name, String what) {
            Objects.requireNonNull(name, what);
            if (name.isBlank()) {
                throw new IllegalArgumentException(what + " must not be blank");
            }
        }
    }

    /** A logical database with a primary and replicas, being registered; see {@link Builder#database(String)}. */
    public static final class Replicated {

        private final Builder parent;
        private final String name;
        private @Nullable String primaryUrl;
        private PoolSettings primaryPool = PoolSettings.defaults();
        private final List<Replica> replicas = new ArrayList<>();
        private @Nullable ResilienceSettings resilience;

        private Replicated(Builder parent, String name) {
            this.parent = parent;
            this.name = name;
        }

        /** The primary, by R2DBC URL, with the default pool settings. */
        public Replicated primary(String r2dbcUrl) {
            return primary(r2dbcUrl, PoolSettings.defaults());
        }

        /** The primary, by R2DBC URL, with the given pool settings. */
        public Replicated primary(String r2dbcUrl, PoolSettings pool) {
            this.primaryUrl = url(r2dbcUrl, "primary");
            this.primaryPool = Objects.requireNonNull(pool, "pool");
            return this;
        }

        /** Adds a replica, by R2DBC URL, with the default pool settings. */
        public Replicated replica(String r2dbcUrl) {
            return replica(r2dbcUrl, PoolSettings.defaults());
        }

        /** Adds a replica, by R2DBC URL, with the given pool settings. */
        public Replicated replica(String r2dbcUrl, PoolSettings pool) {
            replicas.add(new Replica(url(r2dbcUrl, "replica"), Objects.requireNonNull(pool, "pool")));
            return this;
        }

        /** The resilience settings of the primary and of each replica (each gets its own breaker). */
        public Replicated resilience(ResilienceSettings resilience) {
            this.resilience = Objects.requireNonNull(resilience, "resilience");
            return this;
        }

        /** Back to the registry's builder. */
        public Builder and() {
            return parent;
        }

        /** As {@code and().build()}. */
        public Databases build() {
            return parent.build();
        }

        private Definition definition() {
            return new Definition(primaryUrl, null, primaryPool, resilience, List.copyOf(replicas));
        }

        private String url(String r2dbcUrl, String what) {
            Objects.requireNonNull(r2dbcUrl, what);
            if (r2dbcUrl.isBlank()) {
                throw new DatabaseConfigurationException("Database '" + name + "': the " + what + "'s R2DBC URL is blank");
            }
            return r2dbcUrl;
        }
    }

    private record Definition(@Nullable String url, @Nullable ConnectionFactory factory, PoolSettings pool,
            @Nullable ResilienceSettings resilience, List<Replica> replicas) {
    }

    private record Replica(String url, PoolSettings pool) {
    }

    /** What {@link #migrate()} needs of one database: its R2DBC URL (null on a connection factory) and settings. */
    private record Migration(@Nullable String r2dbcUrl, MigrationSettings settings) {
    }
}
