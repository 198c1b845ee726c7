package dev.tributary.core;

import dev.tributary.core.health.HealthCheck;
import dev.tributary.core.health.HealthReport;
import dev.tributary.core.health.HealthSettings;
import dev.tributary.core.resilience.CircuitBreaker;
import dev.tributary.core.resilience.Resilience;
import dev.tributary.core.resilience.ResilienceSettings;
import io.r2dbc.pool.ConnectionPool;
import io.r2dbc.pool.ConnectionPoolConfiguration;
import io.r2dbc.spi.Connection;
import io.r2dbc.spi.ConnectionFactory;
import io.r2dbc.spi.IsolationLevel;
import io.r2dbc.spi.R2dbcException;
import io.r2dbc.spi.Wrapped;
import java.util.Collections;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A {@link Database} over an r2dbc-pool {@link ConnectionPool}.
 *
 * <p>Every call borrows a connection through {@link #withConnection}: returned to the pool when the call
 * completes or fails with a driver error, and <em>invalidated</em> when the subscriber cancels before the
 * end (or a non-driver error, such as a mapping failure, cut the driver's stream short). Invalidating closes
 * the driver connection and then releases the pooled wrapper, which the pool then destroys instead of
 * handing out again: with r2dbc-postgresql a connection whose query was cancelled mid-stream may hang the
 * next query run on it (measured in {@code reactive-core/CANCEL.md}).
 *
 * <p>Reads and writes outside a transaction, and each transaction as a whole, run under the database's
 * {@link Resilience} guards (circuit breaker, retries before the first row, timeouts; see
 * {@link ResilienceSettings}). A call cut short by a timeout is cancelled, so its connection is invalidated.
 */
final class PooledDatabase extends ConnectionOperations implements Database {

    /** What happens to a connection whose call was cancelled before it ended. */
    enum CancelPolicy {
        /** Close the driver connection; the pool drops it (the default). */
        INVALIDATE,
        /** Return it to the pool as it is (kept to measure the hazard; see CANCEL.md). */
        RELEASE
    }

    private final String name;
    private final ConnectionPool pool;
    private final CancelPolicy cancelPolicy;
    private final Set<Connection> invalidated = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
    private final Resilience resilience;
    private final HealthSettings healthSettings;
    private volatile boolean closed;

    private PooledDatabase(String name, Dialect dialect, ConnectionPool pool, CancelPolicy cancelPolicy,
            ResilienceSettings resilience, HealthSettings healthSettings) {
        super(dialect);
        this.name = name;
        this.pool = pool;
        this.cancelPolicy = cancelPolicy;
        this.resilience = Resilience.of(name, resilience);
        this.healthSettings = healthSettings;
    }

    /** A database pooling {@code factory} with {@code settings}; a factory that is a pool already is used as it is. */
    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings) {
        return create(name, factory, settings, CancelPolicy.INVALIDATE);
    }

    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings, CancelPolicy policy) {
        return create(name, factory, settings, policy, ResilienceSettings.defaults(), HealthSettings.defaults());
    }

    static PooledDatabase create(String name, ConnectionFactory factory, PoolSettings settings, CancelPolicy policy,
            ResilienceSettings resilience, HealthSettings health) {
        Dialect dialect = Dialect.fromDriverName(factory.getMetadata().getName());
        if (factory instanceof ConnectionPool existing) {
            return new PooledDatabase(name, dialect, existing, policy, resilience, health);
        }
        PooledDatabase[] self = new PooledDatabase[1];
        ConnectionPool pool = new ConnectionPool(configuration(name, factory, settings,
                connection -> self[0].beforeRelease(connection, settings.preRelease())));
        self[0] = new PooledDatabase(name, dialect, pool, policy, resilience, health);
        return self[0];
    }

    private static ConnectionPoolConfiguration configuration(String name, ConnectionFactory factory, PoolSettings s,
            Function<Connection, Publisher<Void>> preRelease) {
        ConnectionPoolConfiguration.Builder b = ConnectionPoolConfiguration.builder(factory)
                .name(name)
                .initialSize(s.initialSize())
                .maxSize(s.maxSize())
                .minIdle(s.minIdle())
                .maxIdleTime(s.maxIdleTime())
                .maxLifeTime(s.maxLifeTime())
                .maxAcquireTime(s.maxAcquireTime())
                .maxCreateConnectionTime(s.maxCreateConnectionTime())
                .maxValidationTime(s.maxValidationTime())
                .acquireRetry(s.acquireRetry())
                .preRelease(preRelease);
        if (s.validationQuery() != null) {
            b.validationQuery(s.validationQuery());
        }
        if (s.postAllocate() != null) {
            b.postAllocate(oncePerConnection(s.postAllocate()));
        }
        return b.build();
    }

    /** r2dbc-pool runs postAllocate on every acquire; the settings promise once per new connection. */
    private static Function<Connection, Publisher<Void>> oncePerConnection(
            Function<? super Connection, ? extends Publisher<Void>> hook) {
        Set<Connection> prepared = Collections.newSetFromMap(Collections.synchronizedMap(new WeakHashMap<>()));
        return connection -> {
            Connection raw = unwrap(connection);
            if (prepared.contains(raw)) {
                return Mono.empty();
            }
            return Mono.from(hook.apply(connection)).doOnSuccess(v -> prepared.add(raw));
        };
    }

    /** The pool's preRelease: fails for an invalidated connection, which makes the pool destroy it. */
    private Publisher<Void> beforeRelease(Connection connection,
            @Nullable Function<? super Connection, ? extends Publisher<Void>> userHook) {
        if (invalidated.remove(unwrap(connection))) {
            return Mono.error(new IllegalStateException("connection invalidated after a cancelled call"));
        }
        return userHook == null ? Mono.empty() : userHook.apply(connection);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    <T> Flux<T> withConnection(Function<Connection, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire(), work, this::release,
                (connection, error) -> error instanceof R2dbcException ? release(connection) : invalidate(connection),
                this::afterCancel);
    }

    @Override
    public <T> Flux<T> inTransaction(Function<Session, ? extends Publisher<T>> work) {
        Objects.requireNonNull(work, "work");
        return transaction(null, work);
    }

    @Override
    public <T> Flux<T> inTransaction(IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        Objects.requireNonNull(isolation, "isolation");
        Objects.requireNonNull(work, "work");
        return transaction(isolation, work);
    }

    @Override
    <T> Flux<T> guardRead(Flux<T> read) {
        return resilience.query(read);
    }

    @Override
    <T> Flux<T> guardWrite(Flux<T> write) {
        return resilience.write(write);
    }

    @Override
    public @Nullable CircuitBreaker circuitBreaker() {
        return resilience.circuitBreaker();
    }

    /** Runs the validation query on a pooled connection, around the breaker and the retries. */
    @Override
    public Mono<HealthReport> health() {
        Flux<Row> validation = withConnection(connection ->
                Statements.rows(connection, dialect(), healthSettings.validationQuery(), new Object[0]));
        return HealthCheck.check(name, healthSettings, validation, this::poolMetrics, resilience.circuitBreaker(), null);
    }

    private <T> Flux<T> transaction(@Nullable IsolationLevel isolation, Function<Session, ? extends Publisher<T>> work) {
        return resilience.transaction(transactionUnguarded(isolation, work));
    }

    private <T> Flux<T> transactionUnguarded(@Nullable IsolationLevel isolation,
            Function<Session, ? extends Publisher<T>> work) {
        return Flux.usingWhen(acquire().map(connection -> new TransactionSession(dialect(), connection)),
                session -> session.run(isolation, work),
                session -> session.end().then(commitAndRelease(session.connection())),
                (session, error) -> session.end().then(rollbackAndRelease(session.connection())),
                session -> session.end().then(invalidate(session.connection())));
    }

    private Mono<Void> commitAndRelease(Connection connection) {
        return Mono.from(connection.commitTransaction())
                .onErrorResume(error -> rollbackAndRelease(connection).then(Mono.error(error)))
                .then(release(connection));
    }

    private Mono<Void> rollbackAndRelease(Connection connection) {
        return Mono.from(connection.rollbackTransaction())
                .then(release(connection))
                .onErrorResume(error -> invalidate(connection));
    }

    private Mono<Connection> acquire() {
        return Mono.defer(() -> closed ? Mono.error(closedError()) : pool.create());
    }

    private Mono<Void> release(Connection connection) {
        return Mono.defer(() -> Mono.from(connection.close()));
    }

    private Mono<Void> afterCancel(Connection connection) {
        return cancelPolicy == CancelPolicy.INVALIDATE ? invalidate(connection) : release(connection);
    }

    /**
     * Closes the driver connection under the pooled one, then releases the pooled one; the pool's
     * preRelease sees the mark and the pool destroys the connection rather than reuse it.
     */
    Mono<Void> invalidate(Connection connection) {
        Connection raw = unwrap(connection);
        return Mono.defer(() -> {
            invalidated.add(raw);
            return Mono.from(raw.close());
        }).onErrorResume(error -> Mono.empty())
                .then(release(connection).onErrorResume(error -> Mono.empty()));
    }

    private static Connection unwrap(Connection connection) {
        Connection c = connection;
        while (c instanceof Wrapped<?> wrapped && wrapped.unwrap() instanceof Connection inner && inner != c) {
            c = inner;
        }
        return c;
    }

    @Override
    public PoolMetrics poolMetrics() {
        return pool.getMetrics()
                .map(m -> new PoolMetrics(m.allocatedSize(), m.acquiredSize(), m.idleSize(), m.pendingAcquireSize(),
                        m.getMaxAllocatedSize(), m.getMaxPendingAcquireSize()))
                .orElseGet(() -> new PoolMetrics(0, 0, 0, 0, 0, 0));
    }

    @Override
    public Mono<Integer> warmup() {
        return Mono.defer(() -> closed ? Mono.error(closedError()) : pool.warmup());
    }

    /** Disposes of the pool; calls made afterwards fail. */
    Mono<Void> close() {
        return Mono.defer(() -> {
            closed = true;
            return pool.disposeLater();
        });
    }

    private RegistryClosedException closedError() {
        return new RegistryClosedException("Database '" + name + "' belongs to a closed Databases registry;"
                + " build a new registry to run queries again");
    }

    @Override
    public String toString() {
        return "Database[" + name + ", " + dialect() + "]";
    }
}
